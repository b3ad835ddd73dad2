# A new member's first week: reasons, a step, "Another one" ten times (round and round again), an easier one, a sentence and a note logged, the journey, deleting an entry (en)
@ at 2026-11-24T10:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo why 2 5
✓ Your reasons: Widen my view, Make my current work a bit easier
Next, try /ippo step for a step that fits them.
> /ippo step
== A step you could take this week ==
Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
How business people see the town is hard to notice from inside the office. Even one read can bring a new angle.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Watch one evening live stream
Sign up to Online City Hall and play one evening "in-house broadcast", even just as sound in the background.
Each night, public servants from around Japan talk about their work, their tricks and their worries. Just watching slowly shows you how other towns do things. No camera and no speaking needed.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Follow MIRAI-HUB's page
Like MIRAI-HUB's Facebook page so the notice for the next meeting reaches you.
The posts that come by show what public servants in nearby towns are learning together. Whether to go is a decision for later.
  Where: MIRAI-HUB
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Browse the sub-groups
In Online City Hall, look through the work, skills and hobby groups and open just one that catches your eye.
The problem on your desk may already be under discussion somewhere. Reading along can turn up a tip for your own work.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Jot down one reason
Write one line on why you might want connections beyond your desk — for yourself or for your organisation.
Having one reason makes it easier to choose what to try next. It does not need to be a grand goal, and nobody else needs to see it.
  Cost: Free
  Format: Online or in person
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Listen in on a free webinar
Find one free online study session for public servants and listen with your camera and microphone off.
Even as a silent listener you can pick up ideas and tools for your work. Leaving halfway is fine.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
You have now seen all 6 steps at "Just watch or listen" that fit your reasons, so here they come round again. The buttons below look a little wider.

Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
How business people see the town is hard to notice from inside the office. Even one read can bring a new angle.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
  [5] Steps for other reasons
  [6] Look in "Close by"
Type a number (1–6) to press a button of the latest message.
> 2
== A step you could take this week ==
Watch one evening live stream
Sign up to Online City Hall and play one evening "in-house broadcast", even just as sound in the background.
Each night, public servants from around Japan talk about their work, their tricks and their worries. Just watching slowly shows you how other towns do things. No camera and no speaking needed.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Follow MIRAI-HUB's page
Like MIRAI-HUB's Facebook page so the notice for the next meeting reaches you.
The posts that come by show what public servants in nearby towns are learning together. Whether to go is a decision for later.
  Where: MIRAI-HUB
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Browse the sub-groups
In Online City Hall, look through the work, skills and hobby groups and open just one that catches your eye.
The problem on your desk may already be under discussion somewhere. Reading along can turn up a tip for your own work.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Jot down one reason
Write one line on why you might want connections beyond your desk — for yourself or for your organisation.
Having one reason makes it easier to choose what to try next. It does not need to be a grand goal, and nobody else needs to see it.
  Cost: Free
  Format: Online or in person
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 3
== A step you could take this week ==
No problem. Here is something lighter.

Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
How business people see the town is hard to notice from inside the office. Even one read can bring a new angle.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 1
✓ Lovely. Take "Read a local business's posts" at your own pace. When you have done it, press "Done it" here or type: /ippo done Read a local business's posts
  [1] Done it
Type 1 to press the button of the latest message.
@ at 2026-11-26T20:00
> /ippo done Watched an online study session note: camera off, felt easy
✓ Logged: Watched an online study session. That was a step.
Your note is visible to you alone.
  [1] See my journey
Type 1 to press the button of the latest message.
> /ippo done Browse the sub-groups
✓ Logged: Browse the sub-groups. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo home
== Your ippo ==
Small steps at your own pace. Just watching or listening counts as a step.
  Your reasons: Widen my view, Make my current work a bit easier
  Your level: Just watch or listen
Online, free, and no one needs to know you are there. Watching or listening counts as a full step.
  A step you could take next: Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
Free · Online
  Weekly nudge: Off. Turn it on any time with /ippo nudge on.
  Upcoming sessions: No sessions planned yet. Organizers add them with /ippo session add.
  [1] Suggest a step
  [2] Choose my reasons
  [3] See my journey
  [4] Upcoming sessions
Type a number (1–4) to press a button of the latest message.
> /ippo journey
== Your journey ==
Steps taken so far: 2

2026-11
  3. 11/26  Browse the sub-groups
  2. 11/26  Watched an online study session
    Note: camera off, felt easy
  1. 11/24  Read a local business's posts (trying it)

Your level now: Just watch or listen
You could move on to "Close by" if you feel like it. Staying where you are is fine too.

To delete an entry with its note, type /ippo journey delete and its number (for example: /ippo journey delete 1).
  [1] Move up a level
  [2] Suggest a step
Type a number (1–2) to press a button of the latest message.
> /ippo privacy
== What ippo stores ==
This is everything ippo keeps about you. Your notes are shown to no one else, and ippo never compares or ranks anyone. To delete it all, use /ippo forget.
  Account: console / console / aki
  Display name: aki
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: Widen my view, Make my current work a bit easier
  Weekly nudge: Off
  Journey: 3 entries (2 done, 1 note)
Also kept, so suggestions vary: 13 records of steps suggested to you or passed over (not listed on your journey).
  Messages to you: none
  Sessions: none
  Sessions you organize: none
  Unsaved sessions: none
  Calendar feed: none
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.
> /ippo journey delete 1
✓ Deleted entry 1, "Read a local business's posts".
> /ippo journey
== Your journey ==
Steps taken so far: 2

2026-11
  2. 11/26  Browse the sub-groups
  1. 11/26  Watched an online study session
    Note: camera off, felt easy

Your level now: Just watch or listen
You could move on to "Close by" if you feel like it. Staying where you are is fine too.

To delete an entry with its note, type /ippo journey delete and its number (for example: /ippo journey delete 1).
  [1] Move up a level
  [2] Suggest a step
Type a number (1–2) to press a button of the latest message.
