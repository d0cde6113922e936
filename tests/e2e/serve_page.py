"""mlserve's web page driven in headless Chromium (serve_page.sh starts the server).

Usage: serve_page.py URL CSV TOKEN SCREENSHOT

The page must: list the served pipeline; read the CSV's header into the label choices and
leave its non-numeric id column out; show the server's own 401 message when training without
the token; train with it, follow the job to success with the rows read and the learners
compared; predict the class of an iris through the form (a
model of CSV columns: a field each; a model of vectors x: one comma-separated field); mark the claims of a text, showing a
tag in the text as text; log no error to the console. The page is then photographed.
"""
import struct
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

url, csv_path, token, shot = sys.argv[1:5]

TEXT = ("Cities should build protected bike lanes on every major street. Painted lines do not stop cars "
        "from drifting into cyclists, and a door opened without a glance can throw a rider into traffic. "
        "In Copenhagen, injuries fell by a third after separated lanes were built.\n\n"
        "Shop owners fear losing parking, but surveys show that people on bikes visit local shops more "
        "often than drivers do. Therefore the council should fund the lanes this year. "
        "<b>Not bold</b> is how a tag reads here.")

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1360,900", "--hide-scrollbars", "--force-device-scale-factor=1"):
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
failures = []
step = "start"


def find(css):
    return driver.find_element(By.CSS_SELECTOR, css)


def wait_for(what, predicate, seconds=20):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: predicate())
    except TimeoutException:
        raise AssertionError("timed out waiting for " + what)


def visible_text(css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text if found else ""


def check(ok, message):
    if not ok:
        failures.append(step + ": " + message)


try:
    t0 = time.monotonic()
    step = "load"
    driver.get(url)
    wait_for("the model list", lambda: driver.find_elements(By.CSS_SELECTOR, '#models tr[data-model="arguments"]'))
    check("mlserve" in visible_text("#server"), "the server's name and version are not shown")
    check(find("#arguments-section").is_displayed(), "the arguments section is hidden though the pipeline is served")

    step = "choose the CSV"
    find("#train-file").send_keys(csv_path)
    wait_for("the label choices", lambda: find("#train-label").is_enabled())
    labels = [o.get_attribute("value") for o in Select(find("#train-label")).options]
    check(labels[0] == "id" and "species" in labels and len(labels) == 6, "label choices %r" % labels)
    check(Select(find("#train-label")).first_selected_option.get_attribute("value") == "species",
          "the label column guessed is not species")
    ignored = [b.get_attribute("value") for b in driver.find_elements(By.CSS_SELECTOR, "#train-ignore input:checked")]
    check(ignored == ["id"], "columns left out: %r, expected the non-numeric id" % ignored)
    check(find("#train-name").get_attribute("value") == "iris", "model name from the file name")
    find("#train-compare").click()
    check(not find("#train-learner").is_enabled(), "the learner stays choosable with compare")

    step = "train without the token"
    find("#train-submit").click()
    wait_for("the 401 error", lambda: "needs a token" in visible_text("#train-status .error"))
    check(visible_text("#train-status .code") == "401", "the status code is not shown")

    step = "train with the token"
    find("#token").send_keys(token)
    find("#token-form button[type=submit]").click()
    wait_for("the token state", lambda: "token set" in visible_text("#token-state"))
    find("#train-submit").click()
    wait_for("the job to succeed", lambda: driver.find_elements(By.CSS_SELECTOR, "#job-succeeded")
             or driver.find_elements(By.CSS_SELECTOR, "#job-failed"), 40)
    check(not driver.find_elements(By.CSS_SELECTOR, "#job-failed"), "the job failed: " + visible_text("#job .error"))
    check(visible_text("#job-rows") == "150", "rows read: %r" % visible_text("#job-rows"))
    compared = driver.find_elements(By.CSS_SELECTOR, "#job tr.best")
    check(len(compared) == 1, "no compare table in the job's report")
    wait_for("the trained model's row", lambda: driver.find_elements(By.CSS_SELECTOR, '#models tr[data-model="iris"] .pill.READY'))
    check("accuracy" in visible_text('#models tr[data-model="iris"] details.report summary'),
          "the model's cross-validation figures are not listed")

    step = "predict with x"
    wait_for("the prediction form", lambda: Select(find("#predict-model")).first_selected_option.get_attribute("value") == "iris"
             and len(driver.find_elements(By.CSS_SELECTOR, "#predict-fields input")) == 4)
    Select(find("#predict-model")).select_by_value("flowers")
    fields = driver.find_elements(By.CSS_SELECTOR, "#predict-fields input")
    check(len(fields) == 1 and fields[0].get_attribute("data-input") == "x", "model flowers: one field x expected")
    fields[0].send_keys("-0.5556, 0.25, -0.8644, -0.9167")
    find("#predict-submit").click()
    wait_for("the predicted class", lambda: visible_text("#predicted-class"))
    check(visible_text("#predicted-class") == "setosa", "flowers: predicted %r, expected setosa" % visible_text("#predicted-class"))

    step = "predict with columns"
    Select(find("#predict-model")).select_by_value("iris")
    check(not visible_text("#predicted-class"), "the last model's prediction stays shown")
    names = [i.get_attribute("data-input") for i in driver.find_elements(By.CSS_SELECTOR, "#predict-fields input")]
    check(names == ["sepal length, cm", "sepal width, cm", "petal length, cm", "petal width, cm"], "fields %r" % names)
    for field, value in zip(driver.find_elements(By.CSS_SELECTOR, "#predict-fields input"), ("5.1", "3.5", "1.4", "0.2")):
        field.send_keys(value)
    find("#predict-submit").click()
    wait_for("the predicted class", lambda: visible_text("#predicted-class"))
    check(visible_text("#predicted-class") == "setosa", "predicted %r, expected setosa" % visible_text("#predicted-class"))
    check(len(driver.find_elements(By.CSS_SELECTOR, "#predict-result tr.chosen")) == 1, "the per-class table")

    step = "arguments"
    area = find("#arguments-text")
    driver.execute_script("arguments[0].value = arguments[1];", area, TEXT)  # pasted, not typed
    find("#arguments-submit").click()
    wait_for("a highlighted claim", lambda: driver.find_elements(By.CSS_SELECTOR, "#arguments-result .doc mark.s.claim"))
    check(driver.find_elements(By.CSS_SELECTOR, "#arguments-result .doc mark.s.support"), "no support marked")
    check(driver.find_elements(By.CSS_SELECTOR, "#links li .stance"), "no links listed")
    check("<b>Not bold</b>" in visible_text("#arguments-result .doc"), "the tag in the text is not shown as text")
    check(not driver.find_elements(By.CSS_SELECTOR, "#arguments-result b"), "the tag in the text became markup")

    step = "console"
    for entry in driver.get_log("browser"):
        # The 401 of the first training is expected; Chromium logs every failed response.
        if entry["level"] == "SEVERE" and "401" not in entry["message"]:
            failures.append("console: " + entry["message"])

    step = "screenshot"
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    for _ in range(2):  # the window's height is the page's plus the browser's own
        extra = driver.execute_script("return window.outerHeight - window.innerHeight")
        driver.set_window_size(1360, min(max(height, 900), 4000) + extra)
        height = driver.execute_script("return document.documentElement.scrollHeight")
    # Photographed once the page has been drawn at its new size: two animation frames on.
    driver.set_script_timeout(10)
    driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                "requestAnimationFrame(() => requestAnimationFrame(() => done()));")
    driver.save_screenshot(shot)
    with open(shot, "rb") as f:
        png = f.read()
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG")
    width, tall = struct.unpack(">II", png[16:24])
    check(width >= 1000 and tall >= 900 and len(png) > 50000, "screenshot %dx%d, %d bytes" % (width, tall, len(png)))
    print("serve_page: trained, predicted, marked the arguments in %.1f s; screenshot %dx%d"
          % (time.monotonic() - t0, width, tall))
except AssertionError as e:
    failures.append(step + ": " + str(e))
finally:
    if failures:
        try:
            driver.save_screenshot(shot)
        except Exception:
            pass
        for entry in driver.get_log("browser"):
            print("console:", entry["level"], entry["message"])
    driver.quit()

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
