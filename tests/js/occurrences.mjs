// Reads an iCalendar file on stdin with ical.js and prints, as JSON on stdout,
// every occurrence of every event that starts before the instant given as the
// first argument (Unix seconds), each as its UID, original start (the
// RECURRENCE-ID) and actual start and end, all in Unix seconds (UTC).
//
// The file's own VTIMEZONEs are the only zone data ical.js gets: it knows no
// zone names, so a TZID without a usable VTIMEZONE shows up as a wrong instant.
//
// Usage: node occurrences.mjs 2037000000 < calendar.ics

import ICAL from "ical.js";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function main(text, until) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents("vtimezone");
  for (const zone of zones) ICAL.TimezoneService.register(zone);

  const masters = new Map();
  const exceptions = [];
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(event.uid, event);
  }
  for (const exception of exceptions) {
    const master = masters.get(exception.uid);
    if (master) master.relateException(exception);
  }

  const out = [];
  for (const event of masters.values()) {
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toUnixTime() >= until) break;
      const details = event.getOccurrenceDetails(next);
      out.push({
        uid: event.uid,
        original: next.toUnixTime(),
        start: details.startDate.toUnixTime(),
        end: details.endDate.toUnixTime(),
      });
    }
  }
  return {
    zones: zones.map((zone) => zone.getFirstPropertyValue("tzid")),
    occurrences: out,
  };
}

const until = Number(process.argv[2]);
if (!Number.isFinite(until)) {
  process.stderr.write("usage: node occurrences.mjs UNTIL_UNIX_SECONDS < calendar.ics\n");
  process.exit(2);
}
process.stdout.write(JSON.stringify(main(await readStdin(), until)) + "\n");
