"""Commands for the flask CLI."""

import click
from flask import Flask, current_app, url_for

from .demo import create_demo
from .extensions import db


@click.command("demo")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the app is served, for the printed links.")
def demo_command(base_url: str) -> None:
    """Create a demo organiser and a "7 for Jack" drive, and print how to see them."""
    demo = create_demo()
    db.session.commit()
    with current_app.test_request_context(base_url=base_url):
        links = {
            "Progress page": url_for("public.progress_page", slug=demo.drive.slug, _external=True),
            "Organiser page": url_for("organiser.drive_page", slug=demo.drive.slug, _external=True),
            "Invite link": url_for("join.sign_up", code=demo.drive.invite_code, _external=True),
            "A friend's private link": url_for(
                "participant.private_page", token=demo.private_link_token, _external=True
            ),
            "Log in": url_for("auth.login", _external=True),
        }
    click.echo(f'Created the demo drive "{demo.drive.title}".')
    for label, link in links.items():
        click.echo(f"  {label + ':':26} {link}")
    click.echo(f"  {'Email:':26} {demo.email}")
    click.echo(f"  {'Password:':26} {demo.password}")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    from .reminders import send_reminders_command

    app.cli.add_command(send_reminders_command)
    from .backup import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from .generate import generate_command

    app.cli.add_command(generate_command)
