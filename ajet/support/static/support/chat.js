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
  var socket = new WebSocket(root.dataset.socket);

  function say(text) { statusLine.textContent = text; }
  function add(who, text) {
    var item = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = who + ": ";
    item.appendChild(name);
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
  }
  function showQueue(waiting) {
    if (!queue) { return; }
    queue.replaceChildren();
    waiting.forEach(function (entry) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = texts.accept + " #" + entry.position;
      button.addEventListener("click", function () {
        socket.send(JSON.stringify({type: "accept", conversation: entry.conversation}));
      });
      item.appendChild(button);
      queue.appendChild(item);
    });
  }

  socket.addEventListener("message", function (event) {
    var message = JSON.parse(event.data);
    if (message.type === "waiting") { say(texts.waiting + " " + message.position); }
    else if (message.type === "queue") { showQueue(message.waiting); if (texts.ready) { say(texts.ready); } }
    else if (message.type === "connected") { say(texts.connected); form.hidden = false; field.focus(); }
    else if (message.type === "message") { add(texts.them, message.text); }
    else if (message.type === "ended") { say(texts.ended); form.hidden = true; }
    else if (message.type === "closed") { say(texts.closed); }
    else if (message.type === "error") { say(texts.error); }
  });
  socket.addEventListener("close", function () { form.hidden = true; if (!statusLine.textContent) { say(texts.lost); } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = field.value.trim();
    if (!text) { return; }
    socket.send(JSON.stringify({type: "message", text: text}));
    add(texts.you, text);
    field.value = "";
  });
  endButton.addEventListener("click", function () { socket.send(JSON.stringify({type: "end"})); });
}());
