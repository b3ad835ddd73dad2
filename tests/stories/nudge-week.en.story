# A nudge week: the weekly message, I'll try it, the follow-up, a skip, and stop (en)
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
> /ippo nudge when mon 09:30
== ✓ Your weekly nudge ==
Saved your new day and time.
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
> 1
✓ Lovely — "Read one resident's comment", at your own pace. I'll ask how it went on Thursday 2026-12-03 at 09:30, just once.
@ tick 2026-12-03T09:31
→ @aki: == How did it go? ==
A few days ago you thought you might try "Read one resident's comment". How did it go? Any answer is fine — not yet is fine too.
  [1] Done
  [2] Not yet
  [3] Skip
Type a number (1–3) to press a button of the latest message.
> 2
No rush at all. Whenever you have done it, press "Done" here or type: /ippo done Read one resident's comment
  [1] Done
Type 1 to press the button of the latest message.
@ tick 2026-12-07T09:31
→ @aki: == One small thing for this week ==
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
> 3
Of course. Nothing more this week. Next one: Monday 2026-12-14 at 09:30
@ tick 2026-12-14T09:31
→ @aki: == One small thing for this week ==
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
> 4
✓ Stopped. I won't send these any more. /ippo nudge on brings them back whenever you like.
@ tick 2026-12-21T09:31
> /ippo nudge
== Your weekly nudge ==
Weekly nudges are off. /ippo nudge on turns them on: one small suggestion a week, as a direct message.
Day and time: every Monday at 09:30 (Asia/Tokyo)
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn on
Type 1 to press the button of the latest message.
