"""Static analysis: bandit finds nothing of medium or high severity in the package."""

import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "donation_drive"


def test_bandit_finds_no_medium_or_high_issues():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", str(PACKAGE), "-f", "json", "-q", "--severity-level", "medium"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.stdout, f"bandit did not run: {result.stderr}"
    report = json.loads(result.stdout)
    assert report["errors"] == []
    findings = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in report["results"]
        if item["issue_severity"] in ("MEDIUM", "HIGH")
    ]
    assert findings == []
