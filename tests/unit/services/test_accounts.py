"""Accounts: password hashing, login failures and the growing lock-out, roles enforced in the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inspector_app.core.accounts import SYSTEM_USER, Role, User
from inspector_app.core.errors import PermissionDenied, ValidationError
from inspector_app.services.accounts import (
    MAX_FAILURES,
    AccountLocked,
    AccountService,
    LoginFailed,
    lock_duration,
    wait_text,
)
from inspector_app.services.support.passwords import PasswordHasher, check_password_policy
from tests.builders import CHEAP_HASHER


@pytest.fixture
def accounts(services) -> AccountService:
    return services.accounts


@pytest.fixture
def admin(accounts) -> User:
    return accounts.create_first_admin("admin", "管理员", "s3cret-pass")


def _fail_times(accounts: AccountService, n: int, name: str = "admin") -> None:
    for _ in range(n):
        with pytest.raises(LoginFailed):
            accounts.authenticate(name, "wrong-password")


# --- hashing -----------------------------------------------------------------------------------------


def test_default_hasher_uses_owasp_scrypt_parameters_and_verifies():
    stored = PasswordHasher().hash("correct horse")
    assert stored.startswith("scrypt$n=131072,r=8,p=1$")
    assert PasswordHasher().verify("correct horse", stored)
    assert not PasswordHasher().verify("correct hors", stored)


def test_same_password_hashes_differently_each_time_because_of_the_salt():
    assert CHEAP_HASHER.hash("password1") != CHEAP_HASHER.hash("password1")


def test_hash_made_with_other_parameters_still_verifies_and_needs_rehash():
    stored = CHEAP_HASHER.hash("password1")
    strong = PasswordHasher()
    assert strong.needs_rehash(stored)
    assert not CHEAP_HASHER.needs_rehash(stored)
    assert CHEAP_HASHER.verify("password1", stored)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$n=16$zz$zz", "md5$n=16,r=1,p=1$AAAA$AAAA"])
def test_malformed_stored_hash_never_verifies(stored):
    assert not CHEAP_HASHER.verify("anything", stored)


@pytest.mark.parametrize("password", ["short", "1234567", "aaaaaaaaaa", "admin"])
def test_password_policy_rejects_weak_passwords(password):
    with pytest.raises(ValidationError):
        check_password_policy(password, "admin")


def test_password_is_stored_hashed_not_in_clear(accounts, admin, store):
    stored = store.accounts.credentials("admin")[1]
    assert "s3cret-pass" not in stored
    assert stored.startswith("scrypt$")


# --- first admin and creating users ------------------------------------------------------------------


def test_first_admin_only_when_there_are_no_users(accounts, admin):
    assert accounts.has_users()
    assert admin.role is Role.ADMIN
    with pytest.raises(PermissionDenied):
        accounts.create_first_admin("admin2", "第二个", "another-pass")


def test_inspector_needs_a_badge_number(accounts, admin):
    with pytest.raises(ValidationError, match="执法证号"):
        accounts.create_user(admin, "zhangwei", "张伟", Role.INSPECTOR, "password-1")
    user = accounts.create_user(
        admin, "zhangwei", "张伟", Role.INSPECTOR, "password-1", badge_no="42080220230012"
    )
    assert user.badge_no == "42080220230012"


def test_usernames_are_unique_ignoring_case(accounts, admin):
    with pytest.raises(ValidationError, match="已被使用"):
        accounts.create_user(admin, "ADMIN", "重名", Role.SUPERVISOR, "password-1")


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SUPERVISOR])
def test_only_admins_create_and_list_users(accounts, admin, role):
    someone = accounts.create_user(
        admin, f"u{role.value}", "某人", role, "password-1", badge_no="42080220230099"
    )
    with pytest.raises(PermissionDenied, match="管理员"):
        accounts.create_user(someone, "other", "他人", Role.ADMIN, "password-1")
    with pytest.raises(PermissionDenied):
        accounts.list_users(someone)
    with pytest.raises(PermissionDenied):
        accounts.reset_password(someone, admin.id, "new-password")


def test_inspectors_lists_active_inspectors_except_the_given_one(accounts, admin):
    a = accounts.create_user(admin, "a1", "甲", Role.INSPECTOR, "password-1", badge_no="42080220230001")
    b = accounts.create_user(admin, "b1", "乙", Role.INSPECTOR, "password-1", badge_no="42080220230002")
    c = accounts.create_user(admin, "c1", "丙", Role.INSPECTOR, "password-1", badge_no="42080220230003")
    accounts.set_active(admin, c.id, False)
    assert [u.id for u in accounts.inspectors(exclude_id=a.id)] == [b.id]


def test_last_admin_cannot_be_disabled(accounts, admin):
    with pytest.raises(ValidationError, match="最后一个管理员"):
        accounts.set_active(SYSTEM_USER, admin.id, False)


# --- authentication and lock-out ---------------------------------------------------------------------


def test_right_password_logs_in_and_wrong_one_does_not(accounts, admin):
    assert accounts.authenticate("admin", "s3cret-pass").id == admin.id
    assert accounts.authenticate("  Admin ", "s3cret-pass").id == admin.id
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        accounts.authenticate("admin", "s3cret-pasS")


def test_unknown_user_gets_the_same_message_as_a_wrong_password(accounts, admin):
    with pytest.raises(LoginFailed) as unknown:
        accounts.authenticate("nobody", "whatever-1")
    with pytest.raises(LoginFailed) as wrong:
        accounts.authenticate("admin", "whatever-1")
    assert str(unknown.value) == str(wrong.value)


def test_disabled_account_cannot_log_in(accounts, admin):
    user = accounts.create_user(admin, "sup", "审核", Role.SUPERVISOR, "password-1")
    accounts.set_active(admin, user.id, False)
    with pytest.raises(LoginFailed, match="停用"):
        accounts.authenticate("sup", "password-1")


def test_five_failures_lock_the_name_even_for_the_right_password(accounts, admin):
    _fail_times(accounts, MAX_FAILURES - 1)
    with pytest.raises(AccountLocked) as locked:
        accounts.authenticate("admin", "wrong-password")
    assert locked.value.retry_after == timedelta(minutes=5)
    assert "5 分钟" in str(locked.value)
    with pytest.raises(AccountLocked, match="后重试"):
        accounts.authenticate("admin", "s3cret-pass")


def test_lock_expires_and_the_next_lock_is_twice_as_long(accounts, admin, clock):
    _fail_times(accounts, MAX_FAILURES)
    clock.advance(minutes=4)
    with pytest.raises(AccountLocked) as still:
        accounts.authenticate("admin", "s3cret-pass")
    assert still.value.retry_after == timedelta(minutes=1)
    clock.advance(minutes=1, seconds=1)
    _fail_times(accounts, MAX_FAILURES - 1)
    with pytest.raises(AccountLocked) as second:
        accounts.authenticate("admin", "wrong-password")
    assert second.value.retry_after == timedelta(minutes=10)


def test_successful_login_resets_the_failure_count(accounts, admin):
    _fail_times(accounts, MAX_FAILURES - 1)
    accounts.authenticate("admin", "s3cret-pass")
    _fail_times(accounts, MAX_FAILURES - 1)  # would raise AccountLocked if the count had not been reset
    assert accounts.authenticate("admin", "s3cret-pass").id == admin.id


def test_admin_reset_lifts_a_lock(accounts, admin):
    user = accounts.create_user(admin, "sup", "审核", Role.SUPERVISOR, "password-1")
    _fail_times(accounts, MAX_FAILURES, name="sup")
    accounts.reset_password(admin, user.id, "fresh-password")
    assert accounts.authenticate("sup", "fresh-password").id == user.id


def test_lock_durations_double_and_are_capped():
    assert [lock_duration(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert lock_duration(50) == timedelta(hours=24)


def test_wait_text_is_chinese():
    assert wait_text(timedelta(seconds=270)) == "4 分 30 秒"
    assert wait_text(timedelta(minutes=5)) == "5 分钟"
    assert wait_text(timedelta(seconds=0.2)) == "1 秒"


# --- changing passwords ------------------------------------------------------------------------------


def test_change_password_needs_the_old_one(accounts, admin):
    with pytest.raises(LoginFailed, match="原密码"):
        accounts.change_password(admin, "wrong-old", "brand-new-pass")
    accounts.change_password(admin, "s3cret-pass", "brand-new-pass")
    assert accounts.authenticate("admin", "brand-new-pass").id == admin.id


def test_weak_hash_is_upgraded_on_login(store, clock):
    weak = AccountService(store, clock, hasher=CHEAP_HASHER)
    weak.create_first_admin("admin", "管理员", "s3cret-pass")
    stronger = PasswordHasher(n=2**5, r=1, p=1)
    AccountService(store, clock, hasher=stronger).authenticate("admin", "s3cret-pass")
    assert not stronger.needs_rehash(store.accounts.credentials("admin")[1])
