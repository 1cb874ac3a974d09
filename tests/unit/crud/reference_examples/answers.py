"""Reading the reference app's answers: the events of HX-Trigger, the options of a select."""

import json
import re


def triggered(response):
    return json.loads(response.headers["HX-Trigger"])


def options(html):
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
