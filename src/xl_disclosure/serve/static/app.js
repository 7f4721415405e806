// xl-disclosure 报送系统: drag and drop on the upload page, live refresh of the dashboard.
// Plain JavaScript (no framework, nothing from outside); data goes into the page as text, never as HTML.
"use strict";

function uploadPage() {
  var form = document.getElementById("upload-form");
  if (!form) return;
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var button = document.getElementById("send");
  var busy = document.getElementById("busy");
  form.addEventListener("submit", function () {
    button.disabled = true;
    busy.hidden = false;
  });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    button.disabled = true;
    busy.hidden = false;
    HTMLFormElement.prototype.submit.call(form);  // not form.submit: a field named "submit" would hide it
  });
}

function cell(tr, text) {
  var td = document.createElement("td");
  if (text !== undefined) td.textContent = text;
  tr.appendChild(td);
  return td;
}

function statusBadge(td, status) {
  var span = document.createElement("span");
  span.className = "status status-" + status;
  span.textContent = status;
  td.appendChild(span);
}

function dashboard() {
  var table = document.getElementById("agencies");
  if (!table) return;
  var url = table.getAttribute("data-poll");
  var statusSel = document.getElementById("filter-status");
  var query = document.getElementById("filter-q");
  var updated = document.getElementById("updated");
  var last = null;

  function render() {
    if (!last) return;
    var want = statusSel.value, q = query.value.trim();
    var body = document.createElement("tbody");
    last.agencies.forEach(function (a) {
      if (want && a.status !== want) return;
      if (q && a.name.indexOf(q) < 0) return;
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", a.id);
      cell(tr, a.name);
      statusBadge(cell(tr), a.status);
      cell(tr, a.last_upload || "—");
      cell(tr, String(a.attempts));
      var td = cell(tr);
      if (a.latest_id) {
        var link = document.createElement("a");
        link.href = "/office/agency/" + a.id;
        link.textContent = "查看问题";
        td.appendChild(link);
      }
      body.appendChild(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
    document.querySelectorAll("[data-tally]").forEach(function (el) {
      var key = el.getAttribute("data-tally");
      var value = key === "total" ? last.total : key === "submissions" ? last.submissions : last.tally[key];
      el.textContent = String(value);
    });
    last.totals.forEach(function (t) {
      var el = document.querySelector('[data-total="' + t.id + '"]');
      if (el) el.textContent = String(t.value);
    });
    var counted = document.querySelector('[data-field="counted"]');
    if (counted) counted.textContent = String(last.counted);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        last = data;
        render();
        updated.textContent = "已更新 " + new Date().toLocaleTimeString("zh-CN");
      })
      .catch(function () { updated.textContent = "暂时无法刷新，稍后重试"; });
  }

  statusSel.addEventListener("change", render);
  query.addEventListener("input", render);
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); render(); });
  poll();
  window.setInterval(poll, 4000);
}

function compilation() {
  var state = document.getElementById("compile-state");
  if (!state || state.getAttribute("data-state") !== "进行中") return;
  var url = state.getAttribute("data-poll");
  var timer = window.setInterval(function () {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (c) {
        if (c.state !== "进行中") { window.clearInterval(timer); window.location.reload(); }
      })
      .catch(function () {});
  }, 1500);
}

document.addEventListener("DOMContentLoaded", function () {
  uploadPage();
  dashboard();
  compilation();
});
