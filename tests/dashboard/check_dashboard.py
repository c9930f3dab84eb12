"""The dashboard in headless Chromium against a real controller on a dev cluster.

Usage: check_dashboard.py BASE_URL REPO_DIR SCREENSHOT_DIR
REPO_DIR is the controller's git repository (this script commits a new service to it).
Prints one JSON summary line; exits non-zero with the failed check on stderr.
"""
import os
import subprocess
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import browser


def main():
    base, repo, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    driver = browser.start()
    summary = {}
    try:
        # 1. The services page shows what the API says.
        driver.get(base + "/#/services")
        api = browser.api(base, "/api/v1/services")
        names = [s["name"] for s in api]
        browser.wait("the services table", lambda: [r.get_attribute("data-name") for r in
                     driver.find_elements(By.CSS_SELECTOR, "#rows tr.row")] == names)
        for service in api:
            row = driver.find_element(By.CSS_SELECTOR, f'#rows tr[data-name="{service["name"]}"]')
            cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
            assert cells[1] == service["kind"] and cells[2] == service["sync"] and cells[3] == service["health"], cells
            if service["kind"] in ("Service", "Worker"):
                i = service["instances"]
                browser.wait(f"{service['name']} READY", lambda: driver.find_element(
                    By.CSS_SELECTOR, f'#rows tr[data-name="{service["name"]}"] td.ready').text ==
                    "%d/%d" % tuple(browser.api(base, "/api/v1/services/" + service["name"])["instances"][k] for k in ("healthy", "desired")))
        summary["services"] = names
        # The filter narrows by name.
        box = driver.find_element(By.ID, "filter")
        box.send_keys("talk")
        browser.wait("filtered rows", lambda: [r.get_attribute("data-name") for r in
                     driver.find_elements(By.CSS_SELECTOR, "#rows tr.row")] == ["talker"])
        box.send_keys(Keys.BACKSPACE * 4)
        browser.wait("unfiltered rows", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#rows tr.row")) == len(names))
        driver.save_screenshot(os.path.join(shots, "dashboard-services.png"))

        # 2. A commit appears without a reload.
        driver.execute_script("window.__sameDocument = 'yes'")
        with open(os.path.join(repo, "added.yaml"), "w") as f:
            f.write("apiVersion: converge/v1\nkind: Worker\nmetadata: {name: added, owners: [team-new]}\n"
                    "spec:\n  instances: 1\n  command: exec sleep 600\n  resources: {cpus: 0.1, memoryMb: 32}\n")
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
                   GIT_COMMITTER_EMAIL="t@example.com")
        subprocess.run(["git", "-C", repo, "add", "added.yaml"], check=True, env=env)
        subprocess.run(["git", "-C", repo, "commit", "-q", "-m", "add a worker"], check=True, env=env)
        committed = time.time()
        browser.wait("the new service in the table", lambda: driver.find_elements(By.CSS_SELECTOR, '#rows tr[data-name="added"]'), timeout=60)
        summary["commitVisibleSeconds"] = round(time.time() - committed, 2)
        assert driver.execute_script("return window.__sameDocument") == "yes", "the page reloaded"

        # 3. A service: its tasks, source, and the log tail shows a line the task just printed.
        driver.find_element(By.CSS_SELECTOR, '#rows tr[data-name="talker"] a').send_keys(Keys.ENTER)
        browser.wait("the service page", lambda: "talker.yaml:" in driver.find_element(By.ID, "source").text)
        detail = browser.api(base, "/api/v1/services/talker")
        running = [t for t in detail["tasks"] if t["state"] == "running"]
        assert running, detail
        browser.wait("the task in the tasks table", lambda: running[0]["id"] in driver.find_element(By.ID, "details").text)
        first = browser.wait("a log line", lambda: last_tick(driver.find_element(By.ID, "log").text), timeout=30)
        later = browser.wait("a newer log line", lambda: (lambda n: n if n is not None and n > first else None)(
            last_tick(driver.find_element(By.ID, "log").text)), timeout=30)
        summary["logTicks"] = [first, later]
        driver.set_window_size(1400, 1500)
        text = driver.find_element(By.ID, "main").text
        assert "[object" not in text and "undefined" not in text and "null" not in text, text
        driver.save_screenshot(os.path.join(shots, "dashboard-service.png"))
        driver.set_window_size(1400, 900)

        errors = browser.console_errors(driver)
        assert not errors, f"console errors: {errors}"

        # 4. A forged action (a wrong token) is refused and the refusal is shown.
        driver.find_element(By.ID, "pause").click()
        token = browser.wait("the token dialog", lambda: driver.find_element(By.ID, "token-input") if
                             driver.find_element(By.ID, "token-dialog").get_attribute("open") is not None else None)
        token.send_keys("forged-token", Keys.ENTER)
        result = browser.wait("the refusal", lambda: (lambda t: t if "refused" in t else None)(
            driver.find_element(By.ID, "action-result").text))
        assert "403" in result or "401" in result, result
        assert driver.execute_script("return sessionStorage.getItem('converge.token')") is None
        assert not any(o["kind"] == "pause" for o in browser.api(base, "/api/v1/services/talker")["overrides"])
        summary["refusal"] = result

        # 5. The controller: the revision in force, the plan, history.
        driver.find_element(By.ID, "nav-controller").send_keys(Keys.ENTER)
        status = browser.api(base, "/api/v1/status")
        browser.wait("the revision in force", lambda: driver.find_element(By.ID, "revision").text == browser.api(base, "/api/v1/status")["revision"])
        browser.wait("the sync history", lambda: "Sync history" in driver.find_element(By.ID, "controller").text)
        text = driver.find_element(By.ID, "controller").text
        assert "create (0)" in driver.find_element(By.ID, "plan").text, driver.find_element(By.ID, "plan").text
        assert "[object" not in text and "undefined" not in text and "null" not in text, text
        driver.save_screenshot(os.path.join(shots, "dashboard-controller.png"))
        summary["revision"] = status["revision"]

        # Chromium logs the refused request itself (403); nothing else may be in the log.
        errors = [e for e in browser.console_errors(driver) if not ("/pause" in e["message"] and ("403" in e["message"] or "401" in e["message"]))]
        assert not errors, f"console errors: {errors}"
        summary["consoleErrors"] = 0
    finally:
        driver.quit()
    import json
    print(json.dumps(summary))


def last_tick(text):
    ticks = [int(line.split()[1]) for line in text.splitlines() if line.startswith("tick ") and line.split()[1].isdigit()]
    return ticks[-1] if ticks else None


if __name__ == "__main__":
    main()
