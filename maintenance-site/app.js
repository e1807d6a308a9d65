/*
 * The maintenance page's behaviour, shared by the WAF shell and the origin-error page. Plain JS, no
 * build, no requests anywhere but this page's own URL. Without it the page still reads fine.
 *
 * 1. Turns "back in about 1800 seconds" into "about 30 minutes (around 14:35)", counted from page load,
 *    since Retry-After is relative to the response.
 * 2. Checks back politely: waits Retry-After (clamped to 30 s .. 15 min, plus up to 10% random jitter so
 *    a crowd of open tabs does not arrive at once), then fetches this URL. Anything but a gateway error
 *    (502, 503, 504) means the site is back: reload. Otherwise read the new Retry-After and wait again.
 *    No checks while the tab is hidden; an overdue check runs as soon as it is visible again.
 * 3. "Try now" runs a check at once. A polite live region says when the next check is.
 */
(() => {
  'use strict';

  const MIN_WAIT_S = 30;
  const MAX_WAIT_S = 15 * 60;
  const UNKNOWN_WAIT_S = 60;
  const JITTER = 0.1;
  const STILL_DOWN = [502, 503, 504];

  const eta = document.getElementById('eta');
  const status = document.getElementById('status');
  const button = document.getElementById('check');
  if (!status || !button) return;

  let dueAt = 0;
  let timer = 0;
  let checking = false;

  /** "a minute", "30 minutes", "2 hours": rounded, for "back in about …". */
  function aboutDuration(seconds) {
    const minutes = Math.round(seconds / 60);
    if (minutes <= 1) return 'a minute';
    if (minutes < 90) return `${minutes} minutes`;
    const hours = Math.round(minutes / 60);
    return hours === 1 ? 'an hour' : `${hours} hours`;
  }

  function clockTime(date, withSeconds) {
    const sameDay = date.toDateString() === new Date().toDateString();
    return date.toLocaleTimeString(undefined, {
      hour: 'numeric',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
      ...(sameDay ? {} : { weekday: 'long' }),
    });
  }

  function timeElement(date, withSeconds) {
    const time = document.createElement('time');
    time.dateTime = date.toISOString();
    time.textContent = clockTime(date, withSeconds);
    return time;
  }

  /** Retry-After is either delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
  function parseRetryAfter(value) {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (/^\d+$/.test(text)) return Number(text);
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
  }

  function showEta(seconds) {
    if (!eta || seconds === null) return;
    eta.dataset.retryAfter = String(Math.round(seconds));
    eta.replaceChildren(
      `${aboutDuration(seconds)} (around `,
      timeElement(new Date(Date.now() + seconds * 1000), false),
      ')',
    );
  }

  function say(text, date) {
    status.replaceChildren(text);
    if (date) status.append(timeElement(date, true), '.');
  }

  function arm() {
    clearTimeout(timer);
    if (checking) return;
    if (document.hidden) {
      say('Checks are paused while this tab is in the background.');
      return;
    }
    timer = setTimeout(check, Math.max(0, dueAt - Date.now()));
    say('We’ll check again automatically at ', new Date(dueAt));
  }

  function schedule(retryAfterSeconds) {
    const base = Math.min(MAX_WAIT_S, Math.max(MIN_WAIT_S, retryAfterSeconds ?? UNKNOWN_WAIT_S));
    dueAt = Date.now() + base * (1 + JITTER * Math.random()) * 1000;
    arm();
  }

  async function check() {
    if (checking) return;
    checking = true;
    clearTimeout(timer);
    button.setAttribute('aria-disabled', 'true');
    say('Checking whether the site is back…');
    let retryAfter = null;
    try {
      const response = await fetch(window.location.href, {
        method: 'GET',
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (!STILL_DOWN.includes(response.status)) {
        say('The site is back. Reloading…');
        window.location.reload();
        return;
      }
      retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
      showEta(retryAfter);
    } catch {
      // Offline or the request was refused: keep the page, try again later.
    }
    checking = false;
    button.removeAttribute('aria-disabled');
    schedule(retryAfter);
  }

  document.addEventListener('visibilitychange', arm);

  button.addEventListener('click', () => {
    check();
  });
  button.hidden = false;

  const initial = eta ? parseRetryAfter(eta.dataset.retryAfter ?? null) : null;
  showEta(initial);
  schedule(initial);
})();
