"""`flask demo` gives a newcomer a living "7 for Jack" drive in one minute."""

from support import csrf_token
from donation_drive.models import Drive


def test_demo_creates_a_drive_and_prints_links_and_login(app, client, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Progress page:" in result.output and "/d/7-for-jack" in result.output
    assert "Email:" in result.output and "demo@example.org" in result.output
    password = result.output.split("Password:")[1].split()[0]

    assert db.session.scalar(db.select(Drive.title)) == "7 for Jack"
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "4 of 7 units" in page

    login_page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"csrf_token": csrf_token(login_page), "email": "demo@example.org", "password": password},
    )
    assert response.status_code == 302
    assert "7 for Jack" in client.get("/drives/").get_data(as_text=True)


def test_running_demo_twice_makes_a_second_drive_and_a_new_password(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert "/d/7-for-jack-2" in second.output
    assert first.output.split("Password:")[1] != second.output.split("Password:")[1]
