"""Commands for the flask CLI."""

import os
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext

from .backup import backup_command, restore_command
from .core.extensions import db
from .core.wording import quantity
from .demo import Demo, create_demo
from .generate import generate_command
from .outreach import mail, outbox
from .outreach.reminders import send_reminders_command
from .worker import worker_command


@click.command("demo")
@click.option("--base-url", default=None,
              help="Where the app is served, for the printed links "
                   "(default: SERVER_NAME, else flask run's FLASK_RUN_HOST and FLASK_RUN_PORT).")
@with_appcontext
def demo_command(base_url: str | None) -> None:
    """Create a demo organiser and a "7 for Jack" drive, and print how to see them."""
    demo = create_demo()
    db.session.commit()
    links = _demo_links(demo, base_url or _served_at())
    click.echo(f'Created the demo drive "{demo.drive.title}".')
    for label, link in links.items():
        click.echo(f"  {label + ':':26} {link}")
    click.echo(f"  {'Email:':26} {demo.email}")
    click.echo(f"  {'Password:':26} {demo.password}")
    if not base_url and not current_app.config.get("SERVER_NAME"):
        click.echo("If the server runs at another address, run this again with --base-url.")


def _served_at() -> str:
    """Where the app is served, as far as its configuration or `flask run`'s settings tell."""
    if current_app.config.get("SERVER_NAME"):
        return f"{current_app.config['PREFERRED_URL_SCHEME']}://{current_app.config['SERVER_NAME']}"
    host = os.environ.get("FLASK_RUN_HOST", "127.0.0.1")
    return f"http://{host}:{os.environ.get('FLASK_RUN_PORT', '5000')}"


def _demo_links(demo: Demo, base_url: str) -> dict[str, str]:
    """The demo's pages under `base_url`: paths are built here and put after its origin, so a
    base URL given on the command line wins over SERVER_NAME."""
    with current_app.test_request_context(base_url=base_url):
        paths = {
            "Progress page": url_for("public.progress_page", slug=demo.drive.slug),
            "Organiser page": url_for("organiser.drive_page", slug=demo.drive.slug),
            "Invite link": url_for("join.sign_up", code=demo.drive.invite_code),
            "A friend's private link": url_for("participant.private_page", token=demo.private_link_token),
            "Log in": url_for("auth.login"),
        }
    origin = urlsplit(base_url)
    return {label: f"{origin.scheme}://{origin.netloc}{path}" for label, path in paths.items()}


@click.command("outbox")
@with_appcontext
@click.option("--last", default=3, show_default=True, type=click.IntRange(min=1), help="How many messages.")
def outbox_command(last: int) -> None:
    """Show the newest messages written to instance/outbox/ (no MAIL_SERVER set), as plain text.

    The .eml files wrap long lines, which breaks the links in them; here they read whole.
    """
    messages = mail.read_outbox(last)
    if not messages:
        click.echo(f"No messages in {mail.outbox_folder()}.")
    for message in messages:
        click.echo(f"To: {message['To']}\nDate: {message['Date']}\nSubject: {message['Subject']}\n")
        # The app writes every message with a plain-text part; a file put there by hand may have none.
        body = message.get_body(preferencelist=("plain",))
        click.echo(body.get_content().rstrip() if body is not None else "(This message has no plain-text part.)")
        click.echo("-" * 72)


@click.command("outbox-status")
@with_appcontext
def outbox_status_command() -> None:
    """How many messages wait in the outbox, since when, and how many were given up."""
    found = outbox.state()
    since = f", the oldest since {found.oldest_waiting_since:%Y-%m-%d %H:%M} UTC" if found.oldest_waiting_since else ""
    click.echo(f"{quantity(found.waiting, 'message', 'messages')} waiting{since}; {found.failed} given up.")


@click.command("outbox-deliver")
@with_appcontext
def outbox_deliver_command() -> None:
    """Deliver what is due in the outbox now, as the worker does every minute."""
    report = outbox.deliver_due()
    click.echo(f"Sent {quantity(report.sent, 'message', 'messages')}; {report.retrying} to retry, "
               f"{report.failed} given up.")
    if report.server_down:
        raise click.ClickException("The mail server is not available; the outbox will try again.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(outbox_status_command)
    app.cli.add_command(outbox_deliver_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(outbox_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(generate_command)
