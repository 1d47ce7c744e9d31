// daihoi counting screen: each Enter posts one ballot and waits for the acknowledgement (the
// ballot is committed before the answer); the form works without this script too.
"use strict";

(function () {
  var root = document.getElementById("count");
  if (!root) return;
  var form = document.getElementById("ballot-form");
  var input = document.getElementById("keys");
  var status = document.getElementById("entry-status");
  var list = document.getElementById("entered");
  var total = document.getElementById("total");
  var undoForm = document.getElementById("undo-form");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  var vi = document.documentElement.lang !== "en";
  var busy = false;
  var cells = {};
  root.querySelectorAll(".names-table tbody tr").forEach(function (row) {
    cells[row.getAttribute("data-position")] = row.querySelector(".running");
  });
  var names = parseInt(root.getAttribute("data-names"), 10) || 0;
  var seats = parseInt(root.getAttribute("data-seats"), 10) || names;

  function say(text, kind) {
    status.textContent = text;
    status.className = "entry-status" + (kind ? " entry-" + kind : "");
  }

  // Running count: one vote for every name kept (strike-through) or marked agree.
  function adjust(ballot, delta) {
    if (!ballot || (ballot.k !== "crossed" && ballot.k !== "marks")) return;
    var out = {};
    (ballot.n || []).concat(ballot.disagree || [], ballot.both || [], ballot.none || [])
      .forEach(function (n) { out[n] = true; });
    // A strike-through ballot keeping more names than seats, or none, is invalid: no votes.
    if (ballot.k === "crossed") {
      var kept = names - ballot.n.length;
      if (kept > seats || kept === 0) return;
    }
    for (var p = 1; p <= names; p++) {
      if (out[p] || !cells[p]) continue;
      cells[p].textContent = String((parseInt(cells[p].textContent, 10) || 0) + delta);
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": token
      },
      body: body
    }).then(function (response) {
      return response.json().then(function (json) { return json; });
    });
  }

  function done() {
    busy = false;
    input.readOnly = false;
    input.focus();
  }

  function undo() {
    busy = true;
    input.readOnly = true;
    post(undoForm.action, "").then(function (answer) {
      if (answer.ok) {
        var last = list.querySelector("li");
        if (last) {
          adjust(JSON.parse(last.getAttribute("data-ballot") || "null"), -1);
          if (last.hasAttribute("data-ballot")) last.remove(); else window.location.reload();
        }
        total.textContent = String(answer.ballot_no);
        input.value = "";
        say(vi ? "Đã hủy phiếu vừa nhập." : "The last ballot was taken back.", "ok");
      } else {
        say(answer.error, "error");
      }
    }).catch(function () {
      say(vi ? "Mất kết nối: chưa hủy được." : "Connection lost: nothing was undone.", "error");
    }).then(done);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var keys = input.value.trim();
    if (keys.toLowerCase() === "u") { undo(); return; }
    busy = true;
    input.readOnly = true;
    say(vi ? "Đang lưu…" : "Saving…", "");
    post(form.action, "keys=" + encodeURIComponent(keys)).then(function (answer) {
      if (!answer.ok) {
        say(answer.error, "error");
        input.select();
        return;
      }
      var item = document.createElement("li");
      item.value = answer.ballot_no;
      item.setAttribute("data-ballot", JSON.stringify(answer.ballot));
      var k = document.createElement("span");
      k.className = "entered-keys";
      k.textContent = answer.keys;
      var w = document.createElement("span");
      w.className = "entered-words";
      w.textContent = " " + answer.words;
      item.appendChild(k);
      item.appendChild(w);
      list.insertBefore(item, list.firstChild);
      while (list.children.length > 15) list.removeChild(list.lastChild);
      total.textContent = String(answer.ballot_no);
      adjust(answer.ballot, 1);
      input.value = "";
      say((vi ? "Đã lưu phiếu số " : "Saved ballot ") + answer.ballot_no + ": " + answer.keys, "ok");
    }).catch(function () {
      say(vi ? "Mất kết nối: phiếu CHƯA được lưu. Nhấn Enter để gửi lại."
        : "Connection lost: the ballot was NOT saved. Press Enter to send it again.", "error");
    }).then(done);
  });

  undoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!busy) undo();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; say("", ""); }
  });
})();
