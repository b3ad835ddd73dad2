# The console as a platform: a week's messages kept for you, buttons by number, forms you can leave (en)
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
> 7
There is no button number 7: type 1 for a button of the latest message, or a command.
> /ippo done
"Log what you did" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
What you did (For example: Lunch with someone from another department):
> /ippo journey
Left "Log what you did"; nothing was saved.
== Your journey ==
Nothing logged yet. Just watching or listening counts as a step. /ippo step is a good place to start.

Your level now: Just watch or listen
  [1] Suggest a step
Type 1 to press the button of the latest message.
> /ippo done
"Log what you did" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
What you did (For example: Lunch with someone from another department):
> cancel
Left "Log what you did"; nothing was saved.
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
> 5
There is no button number 5: type 1–4 for a button of the latest message, or a command.
> 1
✓ Lovely — "Read one resident's comment", at your own pace. I'll ask how it went on Thursday 2026-12-03 at 09:30, just once.
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> 1
There is no button number 1: no message with buttons is open. Type a command, such as /ippo help.
@ tick 2026-12-03T09:31
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ @aki: == How did it go? ==
A few days ago you thought you might try "Read one resident's comment". How did it go? Any answer is fine — not yet is fine too.
  [1] Done
  [2] Not yet
  [3] Skip
Type a number (1–3) to press a button of the latest message.
> 1
"Log what you did" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Note (optional, only you can see it) (Anything you noticed or felt):
> Found it interesting
✓ Logged: Read one resident's comment. That was a step.
Your note is visible to you alone.
  [1] See my journey
Type 1 to press the button of the latest message.
