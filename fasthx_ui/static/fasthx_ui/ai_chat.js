/* AIChat: the floating assistant panel of <ui:AIChat>.
 *
 * A message is POSTed as JSON (with the CSRF header) to the stream URL; the answer is
 * read as server-sent events (the encoders of fasthx_ui/ai_chat.py): `token` text is
 * appended as text, `tool` calls show as chips that change state, `confirm` shows
 * Allow / Deny (the choice is POSTed to the same URL and its stream continues the
 * turn), `message` replaces the streamed text with the server's sanitised HTML,
 * `error` shows the message with a Retry, `done` ends the stream. The conversation is
 * loaded from the history URL on first open. Open state and size live in localStorage.
 * Leaving the page (a swap) aborts any stream in flight and drops every listener.
 */
(function () {
  "use strict";
  const MIN_WIDTH = 280, MIN_HEIGHT = 320, STEP = 24;
  const STATUS_LABELS = { running: "running", done: "done", blocked: "blocked", error: "failed" };

  function make(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function readState(key) {
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (error) { return {}; }
  }

  function writeState(key, state) {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (error) { /* storage full or off: not remembered */ }
  }

  /* Server-sent events from a fetch body: calls onEvent(name, data) per frame. */
  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message", data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(5).replace(/^ /, "");
        }
        if (data) onEvent(name, JSON.parse(data));
      }
    }
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      const detail = body.detail || body.error || body.message;
      if (typeof detail === "string") return detail;
    } catch (error) { /* not JSON: a generic message below */ }
    if (response.status === 401) return "Please sign in again to use the assistant.";
    if (response.status === 403) return "You are not allowed to use the assistant.";
    return "The assistant could not answer (HTTP " + response.status + ").";
  }

  function init(root) {
    const launcher = root.querySelector("[data-fhx-ai-launcher]");
    const panel = root.querySelector("[data-fhx-ai-panel]");
    const log = root.querySelector("[data-fhx-ai-messages]");
    const empty = root.querySelector("[data-fhx-ai-empty]");
    const status = root.querySelector("[data-fhx-ai-status]");
    const form = root.querySelector("[data-fhx-ai-form]");
    const input = root.querySelector("[data-fhx-ai-input]");
    const send = root.querySelector("[data-fhx-ai-send]");
    const clear = root.querySelector("[data-fhx-ai-clear]");
    const grip = root.querySelector("[data-fhx-ai-grip]");
    const { streamUrl, historyUrl, clearUrl, storageKey } = root.dataset;
    const controllers = new Set();
    const cleanups = [];
    let state = readState(storageKey);
    let historyLoaded = false;
    let streams = 0;

    function on(target, type, handler) {
      target.addEventListener(type, handler);
      cleanups.push(function () { target.removeEventListener(type, handler); });
    }

    function remember(changes) {
      state = Object.assign(readState(storageKey), changes);
      writeState(storageKey, state);
    }

    function scrollToEnd() { log.scrollTop = log.scrollHeight; }

    function updateEmpty() {
      empty.hidden = log.querySelector(".fhx-ai-turn") !== null;
    }

    function setBusy(busy) {
      root.dataset.busy = String(busy);
      log.setAttribute("aria-busy", String(busy));
      send.disabled = busy;
      status.textContent = busy ? "The assistant is answering…" : "";
    }

    /* --- size ----------------------------------------------------------- */
    function applySize(width, height) {
      const maxWidth = window.innerWidth - 32, maxHeight = window.innerHeight - 112;
      const w = Math.max(MIN_WIDTH, Math.min(width, maxWidth));
      const h = Math.max(MIN_HEIGHT, Math.min(height, maxHeight));
      panel.style.width = w + "px";
      panel.style.height = h + "px";
      return { width: w, height: h };
    }

    function resizeBy(dx, dy) {
      const box = panel.getBoundingClientRect();
      remember(applySize(box.width + dx, box.height + dy));
    }

    if (state.width && state.height) applySize(state.width, state.height);

    let stopDrag = null;
    on(grip, "pointerdown", function (event) {
      event.preventDefault();
      const start = { x: event.clientX, y: event.clientY, box: panel.getBoundingClientRect() };
      function move(moved) {
        applySize(start.box.width + start.x - moved.clientX, start.box.height + start.y - moved.clientY);
      }
      stopDrag = function () {
        window.removeEventListener("pointermove", move);
        window.removeEventListener("pointerup", stopDrag);
        stopDrag = null;
        const box = panel.getBoundingClientRect();
        remember({ width: box.width, height: box.height });
      };
      window.addEventListener("pointermove", move);
      window.addEventListener("pointerup", stopDrag);
    });
    cleanups.push(function () { if (stopDrag) stopDrag(); });
    on(grip, "keydown", function (event) {
      const moves = { ArrowLeft: [STEP, 0], ArrowRight: [-STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
      if (!moves[event.key]) return;
      event.preventDefault();
      resizeBy(moves[event.key][0], moves[event.key][1]);
    });

    /* --- open / close ----------------------------------------------------- */
    function open(focus) {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      root.dataset.open = "true";
      remember({ open: true });
      if (!historyLoaded) loadHistory();
      scrollToEnd();
      if (focus) input.focus();
    }

    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      root.dataset.open = "false";
      remember({ open: false });
      launcher.focus();
    }

    on(launcher, "click", function () { if (panel.hidden) open(true); else close(); });
    on(root.querySelector("[data-fhx-ai-close]"), "click", close);
    on(panel, "keydown", function (event) {
      if (event.key === "Escape" && !event.defaultPrevented) { event.preventDefault(); close(); }
    });

    /* --- rendering -------------------------------------------------------- */
    function newTurn(role) {
      const turn = make("div", "fhx-ai-turn fhx-ai-" + role);
      turn.dataset.role = role;
      const who = make("span", "visually-hidden", role === "user" ? "You:" : "Assistant:");
      const body = make("div", "fhx-ai-body");
      turn.append(who, body);
      log.append(turn);
      updateEmpty();
      return { element: turn, body: body, tools: null, text: null };
    }

    function userTurn(text) {
      newTurn("user").body.textContent = text;
    }

    function toolChip(turn, call) {
      if (!turn.tools) {
        turn.tools = make("ul", "fhx-ai-tools list-unstyled");
        turn.element.insertBefore(turn.tools, turn.body);
      }
      let chip = turn.tools.querySelector('[data-call-id="' + CSS.escape(call.id || call.name) + '"]');
      if (!chip) {
        chip = make("li", "fhx-ai-tool");
        chip.dataset.callId = call.id || call.name;
        const details = make("details");
        const summary = make("summary");
        summary.append(make("i", "bi bi-tools"), make("span", "fhx-ai-tool-name", call.name), make("span", "fhx-ai-tool-status badge"));
        summary.firstChild.setAttribute("aria-hidden", "true");
        details.append(summary, make("pre", "fhx-ai-tool-args"), make("pre", "fhx-ai-tool-result"));
        chip.append(details);
        turn.tools.append(chip);
      }
      const status = call.status || "done";
      chip.dataset.status = status;
      chip.querySelector(".fhx-ai-tool-status").textContent = STATUS_LABELS[status] || status;
      chip.querySelector(".fhx-ai-tool-args").textContent = "Arguments: " + JSON.stringify(call.arguments || {});
      const result = chip.querySelector(".fhx-ai-tool-result");
      result.hidden = call.result === null || call.result === undefined;
      result.textContent = result.hidden ? "" : "Result: " + (typeof call.result === "string" ? call.result : JSON.stringify(call.result));
      return chip;
    }

    function showError(turn, message, retry) {
      const box = make("div", "fhx-ai-error alert alert-danger py-2 px-3 mb-0");
      box.setAttribute("role", "alert");
      box.append(make("span", "", message));
      if (retry) {
        const again = make("button", "btn btn-sm btn-outline-danger ms-2", "Retry");
        again.type = "button";
        again.addEventListener("click", function () {
          turn.element.remove();
          updateEmpty();
          retry();
        });
        box.append(again);
      }
      turn.element.append(box);
      const button = box.querySelector("button");
      if (button) button.focus();
    }

    function showConfirm(turn, call) {
      const box = make("div", "fhx-ai-confirm border rounded p-2");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Run " + call.name + "?");
      box.append(make("p", "mb-1", "The assistant wants to run " + call.name + " with " + JSON.stringify(call.arguments || {}) + "."));
      const allow = make("button", "btn btn-sm btn-success me-2", "Allow");
      const deny = make("button", "btn btn-sm btn-outline-danger", "Deny");
      allow.type = deny.type = "button";
      function answer(allowed) {
        allow.disabled = deny.disabled = true;
        box.dataset.answer = allowed ? "allowed" : "denied";
        box.append(make("p", "mb-0 mt-1 small", allowed ? "Allowed." : "Denied."));
        post({ confirm: call.id, allow: allowed }, turn);
      }
      allow.addEventListener("click", function () { answer(true); });
      deny.addEventListener("click", function () { answer(false); });
      box.append(allow, deny);
      turn.element.append(box);
      allow.focus();
    }

    function handle(turn, name, data) {
      if (name === "token") {
        if (!turn.text) { turn.body.textContent = ""; turn.text = document.createTextNode(""); turn.body.append(turn.text); }
        turn.body.classList.remove("fhx-ai-thinking");
        turn.text.appendData(data.text);
      } else if (name === "tool") {
        toolChip(turn, data);
      } else if (name === "confirm") {
        showConfirm(turn, data);
      } else if (name === "message") {
        turn.body.classList.remove("fhx-ai-thinking");
        turn.body.innerHTML = data.html; // rendered and sanitised by the server (render_markdown)
        turn.text = null;
      } else if (name === "error") {
        turn.failed = data.message;
      }
      scrollToEnd();
    }

    /* --- sending ---------------------------------------------------------- */
    async function post(payload, turn) {
      const controller = new AbortController();
      controllers.add(controller);
      streams += 1;
      setBusy(true);
      if (!turn.body.childNodes.length && !turn.tools) {
        turn.body.classList.add("fhx-ai-thinking");
        turn.body.textContent = "Thinking…";
      }
      let finished = false;
      turn.failed = null;
      try {
        const response = await fetch(streamUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-CSRF-Token": window.fasthx.csrfToken() },
          body: JSON.stringify(payload),
          signal: controller.signal,
        });
        if (!response.ok) {
          turn.failed = await errorText(response);
        } else {
          await readEvents(response, function (name, data) {
            if (name === "done") finished = true;
            else handle(turn, name, data);
          });
          if (!finished && !turn.failed) turn.failed = "The connection to the assistant was lost.";
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        turn.failed = error instanceof SyntaxError
          ? "The assistant's answer could not be read."
          : "The assistant could not be reached. Check your connection.";
      } finally {
        controllers.delete(controller);
        streams -= 1;
        if (!controller.signal.aborted) setBusy(streams > 0);
      }
      if (turn.failed) {
        turn.body.classList.remove("fhx-ai-thinking");
        if (turn.body.textContent === "Thinking…") turn.body.textContent = "";
        const again = "message" in payload ? function () { ask(payload.message, true); } : null;
        showError(turn, turn.failed, again);
      }
    }

    function ask(message, retried) {
      if (!retried) userTurn(message);
      post({ message: message }, newTurn("assistant"));
    }

    on(form, "submit", function (event) {
      event.preventDefault();
      const message = input.value.trim();
      if (!message || streams > 0) return;
      input.value = "";
      ask(message, false);
      input.focus();
    });
    on(input, "keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    /* --- history and clear ------------------------------------------------ */
    async function loadHistory() {
      historyLoaded = true;
      if (!historyUrl) return;
      const controller = new AbortController();
      controllers.add(controller);
      try {
        const response = await fetch(historyUrl, { headers: { "Accept": "application/json" }, signal: controller.signal });
        if (!response.ok) throw new Error(await errorText(response));
        const messages = await response.json();
        const first = log.querySelector(".fhx-ai-turn");
        for (const message of messages) {
          if (message.role !== "user" && message.role !== "assistant") continue;
          const turn = newTurn(message.role);
          log.insertBefore(turn.element, first);
          (message.tool_calls || []).forEach(function (call, index) {
            toolChip(turn, Object.assign({ id: "history-" + index }, call));
          });
          if (message.role === "assistant" && message.html !== undefined) turn.body.innerHTML = message.html;
          else turn.body.textContent = message.content || "";
        }
        scrollToEnd();
      } catch (error) {
        if (controller.signal.aborted) return;
        historyLoaded = false;
        const turn = newTurn("assistant");
        showError(turn, "The conversation could not be loaded.", loadHistory);
      } finally {
        controllers.delete(controller);
      }
    }

    if (clear) on(clear, "click", async function () {
      let response;
      try {
        response = await fetch(clearUrl, { method: "POST", headers: { "X-CSRF-Token": window.fasthx.csrfToken() } });
      } catch (error) {
        status.textContent = "The conversation could not be cleared. Check your connection.";
        return;
      }
      if (!response.ok) { status.textContent = await errorText(response); return; }
      for (const controller of controllers) controller.abort();
      log.querySelectorAll(".fhx-ai-turn").forEach(function (turn) { turn.remove(); });
      updateEmpty();
      setBusy(false);
      status.textContent = "The conversation was cleared.";
      input.focus();
    });

    if (state.open) open(false);
    return function () {
      for (const controller of controllers) controller.abort();
      for (const cleanup of cleanups) cleanup();
    };
  }

  window.fasthx.register("ai-chat", "[data-fhx-ai-chat]", init);
})();
