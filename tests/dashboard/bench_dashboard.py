"""Times the services page: navigation start to the first render of every service in the table.

Usage: bench_dashboard.py BASE_URL SERVICES RUNS. Prints each run and the median (ms) as JSON.
"""
import json
import statistics
import sys
import time

from selenium.webdriver.common.by import By

import browser


def main():
    base, count, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    driver = browser.start()
    times = []
    try:
        for run in range(runs + 1):          # the first load warms Chromium itself up and is not counted
            driver.get("about:blank")
            driver.get(base + "/#/services")
            rendered = browser.wait("the first render", lambda: driver.execute_script("return window.dashboardFirstRender"), timeout=60, step=0.02)
            shown = driver.find_element(By.ID, "count").text
            assert shown == f"{count} services", shown
            rows = len(driver.find_elements(By.CSS_SELECTOR, "#rows tr.row"))
            assert 0 < rows < 200, f"{rows} rows in the DOM: the table is not windowed"
            if run > 0:
                times.append(round(rendered, 1))
        # Scrolling to the end renders the last service.
        driver.execute_script("document.getElementById('viewport').scrollTop = 1e9")
        browser.wait("the last row", lambda: driver.find_elements(By.CSS_SELECTOR, f'#rows tr[data-name="svc-{count - 1}"]') or
                     driver.find_elements(By.CSS_SELECTOR, '#rows tr.row')[-1].get_attribute("data-name"), timeout=10)
        errors = browser.console_errors(driver)
        assert not errors, errors
    finally:
        driver.quit()
    print(json.dumps({"services": count, "runsMs": times, "medianMs": statistics.median(times)}))


if __name__ == "__main__":
    main()
