# "Another one" on the weekly nudge ten times: after a round it says so and starts again, never a dead end (en)
@ at 2026-11-27T12:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo nudge on
== ✓ Your weekly nudge ==
Weekly nudges are on: one small suggestion a week, which you can skip or stop any time.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-11-30 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
@ tick 2026-11-30T09:31
→ @aki: == One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Read one resident's comment
Read just one item from the residents' feedback or public-comment results your organisation publishes.
It can be about a field outside your own. Seeing what residents care about is where a resident's point of view begins.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Listen in on a free webinar
Find one free online study session for public servants and listen with your camera and microphone off.
Even as a silent listener you can pick up ideas and tools for your work. Leaving halfway is fine.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
How business people see the town is hard to notice from inside the office. Even one read can bring a new angle.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Skim the reform plan
Open your organisation's reform plan and find one passage about working with others or working more efficiently.
If no reason comes from inside, borrowing one from the organisation is fine. Many reform plans ask for cooperation with residents and diverse partners, leaner work and a stronger organisation.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Watch one evening live stream
Sign up to Online City Hall and play one evening "in-house broadcast", even just as sound in the background.
Each night, public servants from around Japan talk about their work, their tricks and their worries. Just watching slowly shows you how other towns do things. No camera and no speaking needed.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Read your staff development plan
Open your organisation's staff development plan and pick the one trait of its ideal staff that speaks to you most.
Knowing what your organisation hopes its staff will become makes it easier to find your own reason to step outside. The trait you pick becomes a signpost for later steps. Reading is enough.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Follow MIRAI-HUB's page
Like MIRAI-HUB's Facebook page so the notice for the next meeting reaches you.
The posts that come by show what public servants in nearby towns are learning together. Whether to go is a decision for later.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Where: MIRAI-HUB
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Browse the sub-groups
In Online City Hall, look through the work, skills and hobby groups and open just one that catches your eye.
The problem on your desk may already be under discussion somewhere. Reading along can turn up a tip for your own work.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Jot down one reason
Write one line on why you might want connections beyond your desk — for yourself or for your organisation.
Having one reason makes it easier to choose what to try next. It does not need to be a grand goal, and nobody else needs to see it.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online or in person
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 2
== One small thing for this week ==
You have now seen all 9 steps at "Just watch or listen", so here they come round again. The buttons below look at another level.

Read one resident's comment
Read just one item from the residents' feedback or public-comment results your organisation publishes.
It can be about a field outside your own. Seeing what residents care about is where a resident's point of view begins.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
  [5] Look in "Close by"
Type a number (1–5) to press a button of the latest message.
> 2
== One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Listen in on a free webinar
Find one free online study session for public servants and listen with your camera and microphone off.
Even as a silent listener you can pick up ideas and tools for your work. Leaving halfway is fine.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> 1
✓ Lovely — "Listen in on a free webinar", at your own pace. I'll ask how it went on Thursday 2026-12-03 at 09:30, just once.
