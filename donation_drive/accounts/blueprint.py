"""Every address of the accounts feature: logging in, registering, resetting a password, the account page."""

from flask import Blueprint

from . import account_views, reset_views, views

auth = Blueprint("auth", __name__, url_prefix="/auth")
account = Blueprint("account", __name__, url_prefix="/account")

auth.add_url_rule("/reset/", view_func=reset_views.request_reset, methods=["GET", "POST"])
auth.add_url_rule("/reset/<token>", view_func=reset_views.choose_password, methods=["GET", "POST"])
auth.add_url_rule("/register", view_func=views.register, methods=["GET", "POST"])
auth.add_url_rule("/check-email", view_func=views.check_email, methods=["GET"])
auth.add_url_rule("/check-email", view_func=views.resend_confirmation, methods=["POST"])
auth.add_url_rule("/confirm/<token>", view_func=views.confirm_email, methods=["GET", "POST"])
auth.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
auth.add_url_rule("/logout", view_func=views.logout, methods=["POST"])

account.before_request(account_views.require_login)
account.add_url_rule("/tokens", view_func=account_views.tokens, methods=["GET"])
account.add_url_rule("/tokens", view_func=account_views.create_token, methods=["POST"])
account.add_url_rule("/tokens/<int:token_id>/revoke", view_func=account_views.revoke_token, methods=["POST"])
account.add_url_rule("/delete", view_func=account_views.delete_account, methods=["GET", "POST"])
