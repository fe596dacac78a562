"""The Python baseline: Debian's python3, standard library only (smtplib + email).

  throughput PORT COUNT HTML TEXT   COUNT multipart/alternative messages over ONE reused connection
  attach     PORT FILE              one message with FILE attached (email.mime, base64), sent once

Prints one JSON line: {"ms": wall time of the sending part}.
"""
import json
import os
import smtplib
import sys
import time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid


def throughput(port, count, html_path, text_path):
    html = open(html_path, encoding="utf-8").read()
    text = open(text_path, encoding="utf-8").read()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            msg = MIMEMultipart("alternative")
            msg["From"] = "Ana <ana@example.test>"
            msg["To"] = f"reader{i}@example.test"
            msg["Subject"] = f"Newsletter {i}"
            msg["Date"] = formatdate(localtime=True)
            msg["Message-ID"] = make_msgid(domain="example.test")
            msg.attach(MIMEText(text, "plain", "utf-8"))
            msg.attach(MIMEText(html, "html", "utf-8"))
            smtp.send_message(msg)
    return (time.perf_counter() - started) * 1000


def attach(port, path):
    started = time.perf_counter()
    msg = MIMEMultipart()
    msg["From"] = "Ana <ana@example.test>"
    msg["To"] = "bob@example.test"
    msg["Subject"] = "Big file"
    msg.attach(MIMEText("The file is attached.", "plain", "utf-8"))
    with open(path, "rb") as f:
        part = MIMEApplication(f.read(), Name=os.path.basename(path))
    part["Content-Disposition"] = f'attachment; filename="{os.path.basename(path)}"'
    msg.attach(part)
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(msg)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "throughput":
        ms = throughput(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        ms = attach(int(sys.argv[2]), sys.argv[3])
    print(json.dumps({"ms": ms}))
