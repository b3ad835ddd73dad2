# The error messages a member can meet in steps, done and the journey (en)
@ at 2026-11-24T10:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo step 9
! "9" is not a number of suggestions I can give. Use a number from 1 to 3 (for example: /ippo step 2).
> /ippo step lots
! "lots" is not a number of suggestions I can give. Use a number from 1 to 3 (for example: /ippo step 2).
> /ippo journey delete 1
! Your journey has no entries yet, so there is nothing to delete.
> /ippo done note: only a note
! Please say what you did before the note (for example: /ippo done Lunch with someone from another department note: we talked about our work).
> /ippo done aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
! That is a bit long. Please say what you did in 200 characters or fewer, and put the rest in a note (for example: /ippo done Visited the in-house study group note: friendly people).
> /ippo done Went to a reading circle note: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
! The note is a bit long. Please keep it to 1000 characters or fewer.
> /ippo done Listened to a study session
✓ Logged: Listened to a study session. That was a step.
  [1] See my journey
Type 1 to press the button of the latest message.
> /ippo journey delete
! Say which entry to delete by its number on your journey (for example: /ippo journey delete 1). /ippo journey shows the numbers.
> /ippo journey delete two
! Say which entry to delete by its number on your journey (for example: /ippo journey delete 1). /ippo journey shows the numbers.
> /ippo journey delete 5
! There is no entry 5 on your journey. /ippo journey shows the numbers (the newest entry is 1).
> /ippo journey delete 99999999999999999999
! There is no entry 99999999999999999999 on your journey. /ippo journey shows the numbers (the newest entry is 1).
> /ippo journey whatever
! /ippo journey shows your journey so far. To delete an entry, type /ippo journey delete <number>.
> /ippo journey delete ①
✓ Deleted entry 1, "Listened to a study session".
