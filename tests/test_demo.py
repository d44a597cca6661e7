"""`flask demo` gives a newcomer a living "7 for Jack" drive in one minute."""

from donation_drive.models import Drive
from support import csrf_token


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


def _links(output: str) -> list[str]:
    return [word for word in output.split() if word.startswith(("http://", "https://"))]


def test_demo_links_point_where_the_server_runs(app):
    result = app.test_cli_runner().invoke(args=["demo", "--base-url", "http://127.0.0.1:8123"])
    assert result.exit_code == 0, result.output
    links = _links(result.output)
    assert len(links) == 5
    assert all(link.startswith("http://127.0.0.1:8123/") for link in links), links
    assert "http://127.0.0.1:8123/d/7-for-jack" in links


def test_demo_links_follow_server_name_without_a_base_url(app):
    app.config["PREFERRED_URL_SCHEME"] = "https"
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "https://drive.test/d/7-for-jack" in _links(result.output)
    assert all(link.startswith("https://drive.test/") for link in _links(result.output))


def test_demo_links_follow_flask_run_settings_without_server_name(app, monkeypatch):
    app.config["SERVER_NAME"] = None
    monkeypatch.setenv("FLASK_RUN_PORT", "8124")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8124/d/7-for-jack" in _links(result.output)
    assert "--base-url" in result.output
