// The PSG chat, for the person reaching out and for the volunteer: text goes in and out through
// textContent only, so nothing a message holds is ever read as HTML.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root) { return; }
  var texts = document.getElementById("chat-texts").dataset;
  var statusLine = document.getElementById("chat-status");
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var field = document.getElementById("chat-text");
  var endButton = document.getElementById("chat-end");
  var queue = document.getElementById("chat-queue");
  var start = document.getElementById("chat-start");
  var resources = document.getElementById("chat-resources");
  var urgent = document.getElementById("chat-urgent");
  var emergency = document.getElementById("chat-emergency");
  var socket = null;
  var endedNotice = false;  // keep "the conversation has ended" in view until the volunteer takes another

  function say(text) { statusLine.textContent = text; }
  function add(who, text) {
    var item = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = who + ": ";
    item.appendChild(name);
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
  }
  function send(message) { socket.send(JSON.stringify(message)); }
  function showQueue(waiting) {
    if (!queue) { return; }
    queue.replaceChildren();
    waiting.forEach(function (entry) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = texts.accept + " #" + entry.position;
      button.addEventListener("click", function () {
        endedNotice = false;
        send({type: "accept", conversation: entry.conversation});
      });
      item.appendChild(button);
      queue.appendChild(item);
    });
  }
  function showResources(text) {
    say(text);
    form.hidden = true;
    endButton.hidden = true;
    if (resources) { resources.hidden = false; }
  }
  function connected(on) {
    form.hidden = !on;
    if (urgent) { urgent.hidden = !on; }
    if (on) { field.focus(); }
  }

  function connect(url) {
    socket = new WebSocket(url);
    socket.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "waiting") { say(texts.waiting + " " + message.position); }
      else if (message.type === "queue") { showQueue(message.waiting); if (texts.ready && !endedNotice) { say(texts.ready); } }
      else if (message.type === "connected") { say(texts.connected); connected(true); }
      else if (message.type === "message") { add(texts.them, message.text); }
      else if (message.type === "ended") { say(texts.ended); endedNotice = true; connected(false); }
      else if (message.type === "closed") { showResources(texts.closed); }
      else if (message.type === "timeout") { showResources(texts.timeout); }
      else if (message.type === "urgent") {
        document.getElementById("chat-urgent-status").textContent = message.alerted ? texts.alerted : texts.notAlerted;
      }
      else if (message.type === "error") { say(texts.error); }
    });
    socket.addEventListener("close", function () { connected(false); if (!statusLine.textContent) { say(texts.lost); } });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = field.value.trim();
    if (!text) { return; }
    send({type: "message", text: text});
    add(texts.you, text);
    field.value = "";
  });
  endButton.addEventListener("click", function () { send({type: "end"}); });
  if (urgent) {
    urgent.addEventListener("click", function () { emergency.hidden = false; send({type: "urgent"}); });
  }
  if (start) {  // the person: choose whom not to meet, then connect
    start.addEventListener("submit", function (event) {
      event.preventDefault();
      var avoid = document.getElementById("chat-avoid").value;
      var url = root.dataset.socket + (avoid ? (root.dataset.socket.indexOf("?") < 0 ? "?" : "&") + "avoid=" + avoid : "");
      start.hidden = true;
      endButton.hidden = false;
      say(texts.connecting);
      connect(url);
    });
  } else {
    connect(root.dataset.socket);
  }
}());
