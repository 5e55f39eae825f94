"""``inspector-hq``: run the HQ service and administer it (devices, records, USB bundles, registry).

Every command takes ``--db`` (a SQLite file path, the default engine, or ``postgresql://…``; also
``INSPECTOR_HQ_DB``) and ``--blobs`` (the attachment folder; default ``<db file>-blobs`` next to a SQLite
file; required with PostgreSQL; also ``INSPECTOR_HQ_BLOBS``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import InspectorError

F = TypeVar("F", bound=Callable[..., Any])


def blob_root(db: str, blobs: str | None) -> Path:
    if blobs:
        return Path(blobs).expanduser().resolve()
    if "://" in db:
        raise InspectorError("使用 PostgreSQL 时必须用 --blobs 指定附件目录（或设置 INSPECTOR_HQ_BLOBS）")
    path = Path(db).expanduser().resolve()
    return path.with_name(path.stem + "-blobs")


def open_hq(db: str, blobs: str | None) -> Any:
    from inspector_app.hq.db import open_engine
    from inspector_app.hq.service import HQ

    root = blob_root(db, blobs)  # explained before any connection attempt
    return HQ(open_engine(db), root)


def db_options(func: F) -> F:
    func = click.option("--blobs", envvar="INSPECTOR_HQ_BLOBS", help="附件目录")(func)
    func = click.option(
        "--db", required=True, envvar="INSPECTOR_HQ_DB", help="SQLite 文件路径或 postgresql://… 地址"
    )(func)
    return func


def friendly(func: F) -> F:
    """Chinese errors on stderr with exit status 1 instead of tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InspectorError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(help="荆门市场监管现场检查 · 总部服务（HQ）")
def main() -> None:
    pass


@main.command(help="启动总部服务（HTTP API 和只读状态页）")
@db_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8750, show_default=True, type=int)
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="TLS 证书（PEM）")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="TLS 私钥（PEM）")
@click.option("--public-pages", is_flag=True, help="允许非本机访问状态页（请另行做好访问控制）")
@friendly
def serve(
    db: str,
    blobs: str | None,
    host: str,
    port: int,
    tls_cert: str | None,
    tls_key: str | None,
    public_pages: bool,
) -> None:
    import uvicorn

    from inspector_app.hq.app import create_app

    if bool(tls_cert) != bool(tls_key):
        raise InspectorError("--tls-cert 和 --tls-key 必须同时给出")
    hq = open_hq(db, blobs)
    scheme = "https" if tls_cert else "http"
    click.echo(f"总部服务“{hq.identity.name}”在 {scheme}://{host}:{port}/ 运行（Ctrl+C 停止）", err=True)
    uvicorn.run(
        create_app(hq, public_pages=public_pages), host=host, port=port, ssl_certfile=tls_cert,
        ssl_keyfile=tls_key, log_level="warning", timeout_graceful_shutdown=5,
    )  # fmt: skip


@main.command(help="为一台设备生成一次性登记码（24 小时内有效）")
@db_options
@click.option("--device", "name", required=True, help="设备名称，如“东宝区-笔记本-03”")
@click.option(
    "--role", type=click.Choice(["inspector", "supervisor"]), default="inspector", show_default=True
)
@click.option("--area", default="", help="辖区（审核人设备必填：只接收本辖区的记录）")
@click.option("--json", "as_json", is_flag=True)
@friendly
def enroll(db: str, blobs: str | None, name: str, role: str, area: str, as_json: bool) -> None:
    code = open_hq(db, blobs).devices.issue_code(name, role, area)
    if as_json:
        emit(code.to_dict())
    else:
        click.echo(f"设备“{code.device}”的登记码：{code.code}（有效至 {code.to_dict()['expires_at']}）")


@main.command(help="列出设备")
@db_options
@click.option("--json", "as_json", is_flag=True)
@friendly
def devices(db: str, blobs: str | None, as_json: bool) -> None:
    from inspector_app.trust.keys import key_fingerprint

    rows = [
        {"device": d.name, "device_id": d.device_id, "role": d.role, "area": d.area, "enrolled_at": d.enrolled_at,
         "revoked_at": d.revoked_at, "last_seen_at": d.last_seen_at,
         "fingerprint": key_fingerprint(d.public_key) if d.public_key else None}
        for d in open_hq(db, blobs).devices.list()
    ]  # fmt: skip
    if as_json:
        emit(rows)
        return
    for r in rows:
        state = "已吊销" if r["revoked_at"] else ("已登记" if r["enrolled_at"] else "待登记")
        click.echo(
            f"{r['device']}\t{r['role']}\t{r['area'] or '—'}\t{state}\t最近联系 {r['last_seen_at'] or '从未'}"
        )


@main.command(help="吊销设备：其令牌和同步包此后一律拒收")
@db_options
@click.argument("name")
@friendly
def revoke(db: str, blobs: str | None, name: str) -> None:
    device = open_hq(db, blobs).devices.revoke(name)
    click.echo(f"已吊销设备“{device.name}”（{device.revoked_at}）")


def _since(text: str) -> str:
    if not text:
        return ""
    try:
        return utc_iso(parse_utc(text if "T" in text else text + "T00:00:00Z"))
    except ValueError as exc:
        raise InspectorError(
            f"--since 的时间无法识别：{text}（例：2026-03-01 或 2026-03-01T08:00:00Z）"
        ) from exc


@main.command(help="列出收到的记录")
@db_options
@click.option("--json", "as_json", is_flag=True)
@click.option("--since", default="", help="只列出此时间（UTC）之后收到的")
@click.option("--area", default="", help="只列出该辖区的")
@friendly
def records(db: str, blobs: str | None, as_json: bool, since: str, area: str) -> None:
    rows = open_hq(db, blobs).records(since=_since(since), area=area)
    if as_json:
        emit(rows)
        return
    for r in rows:
        click.echo(f"{r['received_at']}\t{r['document_no']}\t{r['device']}\t{r['status']}\t{r['id']}")
    click.echo(f"共 {len(rows)} 条", err=True)


@main.command("import", help="导入笔记本电脑导出的同步包（重复导入无害）")
@db_options
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
@friendly
def import_(db: str, blobs: str | None, bundle: str, as_json: bool) -> None:
    from inspector_app.hq.transfer import import_bundle

    report = import_bundle(open_hq(db, blobs), bundle)
    if as_json:
        emit(report.to_dict())
    else:
        click.echo(
            f"来自设备“{report.device}”：新记录 {report.records_stored} 条（已有 {report.records_duplicate} 条），"
            f"审核决定 {report.decisions_stored} 条（已有 {report.decisions_duplicate} 条），附件 {report.blobs_stored} 个"
        )
    for line in report.refused:
        click.echo(f"拒收：{line}", err=True)
    if report.refused:
        sys.exit(2)


@main.command(help="为一台设备导出同步包（审核决定、主体库变更，审核人设备另含本辖区记录）")
@db_options
@click.option("--device", "name", required=True)
@click.option("--bundle", "target", required=True, type=click.Path(dir_okay=False))
@click.option("--after", default="0", help="只导出该游标之后的变更（默认全部）")
@friendly
def export(db: str, blobs: str | None, name: str, target: str, after: str) -> None:
    from inspector_app.hq.transfer import export_bundle

    path = export_bundle(open_hq(db, blobs), name, target, after)
    click.echo(f"已写出同步包：{path}（{path.stat().st_size} 字节）")


@main.command(help="导入主体库变更（JSON 数组，每项为协议中的 business 对象），下次同步时发往各设备")
@db_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@friendly
def registry(db: str, blobs: str | None, file: str) -> None:
    from inspector_app.sync.protocol import business_from_dict

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InspectorError(f"{file} 不是 UTF-8 JSON：{exc}") from exc
    if not isinstance(data, list):
        raise InspectorError(f"{file} 应为 JSON 数组")
    changed, unchanged = open_hq(db, blobs).import_registry([business_from_dict(item) for item in data])
    click.echo(f"主体库：变更 {changed} 户，未变 {unchanged} 户")
