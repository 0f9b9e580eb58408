#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (seeds/<target>/*): one ordinary reply per
target in each vendor's shape, and one with hostile text in every string. The fuzzer starts
from these and mutates them; `cargo test` also runs every target over them."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE = "\x1b[2J\x1b]0;owned\x07\u202e\u3164\u200d\x9b31m<b>x</b>&#27;[1m"

def write(target, name, value):
    folder = os.path.join(HERE, "seeds", target)
    os.makedirs(folder, exist_ok=True)
    data = value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False).encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)

def both(target, make):
    write(target, "plain.json", make("Printer on 3rd floor jams"))
    write(target, "hostile.json", make(HOSTILE))

def incident(t, i=7):
    return {"id": str(i), "pretty_id": f"SD-#{i}", "title": t, "description": f"<p>{t}</p>",
            "status_id": "1", "priority_id": "2", "type_id": "1", "category_id": "3",
            "user_id": "12", "assigned_id": "4", "assigned_group_id": "1",
            "created_at": "2026-11-18 09:30:00", "last_update": 1795000000,
            "custom_fields": {"5": t, "6": ["a", 2]},
            "comments": [{"id": "1", "author_id": "12", "message": t, "created_at": "2026-11-18 10:00:00",
                          "customer_visible": 1, "is_solution": 0, "msg_num": 1}]}

both("invgate_incidents", lambda t: {"7": incident(t), "8": incident(t, 8) | {"title": None}, "9": None})
both("invgate_incident", lambda t: incident(t))
write("invgate_incident", "array.json", [incident("in a list")])
both("invgate_users", lambda t: [{"id": "12", "name": t, "lastname": "Ünal", "username": "zoe",
                                  "email": "zoe@example.com", "user_type": 1}, None,
                                 {"id": 13, "name": 5}])
both("invgate_news", lambda t: {"3": {"id": "3", "type_id": 1, "title": t, "body": f"<div>{t}</div>",
                                      "affected_helpdesk_ids": ["1"], "affected_group_ids": [],
                                      "created_at": "2026-11-18 09:00:00", "status_id": 1}})
both("invgate_articles", lambda t: {"data": [{"id": "4", "title": t, "description": t,
                                              "content": f"<h1>{t}</h1><ul><li>{t}</li></ul>",
                                              "category_id": "1", "rating": 4.5}], "total": 1})
def iden_ticket(t):
    return {"external_uuid": "3f2a8c1e-8d5b-4b8e-9a43-0c7f3e1d2b6a", "label": t, "type": "access",
            "app": {"external_uuid": "5b1d3c7e-2f4a-4e6b-8c9d-1a2b3c4d5e6f", "name": t},
            "requester": {"external_uuid": "7c", "email": "a@example.com", "first_name": t},
            "ticket_status": "PENDING", "start_time": "2026-11-18T09:00:00Z",
            "initial_comment": t}
both("iden_tickets", lambda t: {"count": 2, "next": None, "results": [iden_ticket(t), None]})
def truto_ticket(t):
    person = {"id": "u1", "name": t, "emails": [{"email": "a@example.com"}], "type": "agent"}
    return {"id": "101", "number": "101", "name": t, "description": t,
            "status": {"id": "open", "name": t}, "priority": {"id": "high", "name": "High"},
            "assignees": [person], "contact": person, "created_at": "2026-11-18T09:00:00Z",
            "updated_at": "2026-11-18T10:00:00Z"}
both("truto_tickets", lambda t: {"result": [truto_ticket(t), {"id": 5}], "next_cursor": "abc"})
both("truto_comments", lambda t: {"result": [{"id": "c1", "author": {"id": "u1", "name": t},
                                              "body": t, "html_body": f"<p>{t}</p>", "is_private": False,
                                              "created_at": "2026-11-18T09:00:00Z"}], "next_cursor": None})
def rezolve_ticket(t):
    person = {"id": "u1", "name": t, "email": "a@example.com"}
    return {"id": "T-1", "ticket_number": "1001", "subject": t, "description": t, "status": "open",
            "priority": "high", "category": t, "assignee": person, "requester": person, "team": t,
            "created_at": "2026-11-18T09:00:00Z", "updated_at": "2026-11-18T10:00:00Z"}
both("rezolve_tickets", lambda t: {"success": True, "data": {"tickets": [rezolve_ticket(t), None],
                                   "pagination": {"total": 2, "hasMore": False}}})
both("rezolve_users", lambda t: {"success": True, "data": {"users": [
    {"id": "u1", "username": "zoe", "first_name": t, "last_name": t, "email": "z@example.com",
     "type": "agent", "teams": [t, "Network"], "default_team": t}]}})
write("html", "plain.html", b"<h1>VPN</h1><p>Connect with <a href='https://x'>the client</a>.</p><table><tr><td>a</td></tr></table>")
write("html", "hostile.html", ("<div>" * 60 + HOSTILE + "&#x202E;&#155;</div>").encode())
write("scrub", "hostile.txt", HOSTILE.encode() + b"\xff\xfe Zo\xc3\xab \xe0\xa4\x95\xe0\xa5\x8d\xe0\xa4\xb7")
write("scrub", "emoji.txt", "👩\u200d💻 1\ufe0f\u20e3 مرحبا\u200cبك".encode())

import base64
for pem in ("server.pem", "ca.pem"):
    text = open(os.path.join(HERE, "..", "fixtures", "tls", pem)).read()
    body = "".join(l for l in text.splitlines() if not l.startswith("-----"))
    write("certificate_issuer", "plain-" + pem.replace(".pem", ".der"), base64.b64decode(body))
