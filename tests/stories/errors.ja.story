# 使い方・理由・言語・タイムゾーン・週ごとのお知らせで出会うエラーのすべてと、代わりに入力するもの (ja)
@ at 2026-11-27T12:00
@ as aki ja
こんにちは、aki さん。ippo（一歩）です。無理のない一歩を一緒に探しましょう。/ippo help で使い方を表示します。終了は Ctrl-D です。
> /ippo とぶ
! 「とぶ」というコマンドはありません。使えるコマンドはこちらです。

ippo は、自分の席の外へ「無理のない一歩」を踏み出すお手伝いをします。見る・聴くだけでも立派な一歩です。

一歩
/ippo why — つながりをつくる理由を選ぶ
/ippo step [1-3] — 今のあなたに合う一歩の提案
/ippo done <やったこと> メモ：<メモ> — やったことを自分の言葉か一歩の名前で記録（メモは任意で、本人だけが見られます）
/ippo journey — これまでの歩み（月ごと）
/ippo home — 理由・段階・次の一歩・週ごとのお知らせ・セッションのまとめ

週ごとのお知らせ
/ippo nudge — 今の設定。/ippo nudge on でオン、/ippo nudge off でオフ
/ippo nudge when <曜日> <時刻> — 例: /ippo nudge when 金曜 18時
/ippo nudge pause <週数> — 例: /ippo nudge pause 2

セッション
/ippo sessions — これからの勉強会・交流会（/ippo sessions feed でカレンダーに追加）
/ippo session — 主催者向け: セッションの追加・編集・中止・日時の変更。/ippo session lang ja または en で、チャンネルの告知の言語を決められます

コーヒーチャット
/ippo coffee on — 数週間に一度、ほかの部署の方を一人か二人ご紹介します（/ippo coffee で設定を確認。skip、pause、dept、quiet、off もあります）

設定とあなたの記録
/ippo lang ja|en — 言語（日本語 または English）
/ippo tz <都市名 または タイムゾーン> — 例: /ippo tz 東京、/ippo tz America/New_York
/ippo privacy — ippo が保存している内容
/ippo forget — あなたに関する記録をすべて削除
/ippo help — この一覧
> /ippo why 9
! 「9」は理由の番号ではありません。1〜8の番号で選んでください（例: /ippo why 1 3）。/ippo why のボタンからも選べます。
> /ippo why 趣味
! 「趣味」は理由の番号ではありません。1〜8の番号で選んでください（例: /ippo why 1 3）。/ippo why のボタンからも選べます。
> /ippo lang
今の言語は日本語です。切り替えるには、ボタンを押すか /ippo lang ja（日本語）、/ippo lang en（English）と入力してください。
  [1] 日本語
  [2] English
番号（1〜2）を入力すると、最新のメッセージのボタンを押せます。
> /ippo lang フランス語
! 「フランス語」には対応していません。日本語なら /ippo lang ja、英語なら /ippo lang en と入力してください。
> /ippo tz
今のタイムゾーンは Asia/Tokyo です（現地の時刻は 12:00）。変えるには、都市名かタイムゾーンを入力してください（例: /ippo tz 東京、/ippo tz America/New_York）。
> /ippo tz 火星
! 「火星」は都市名としてもタイムゾーンとしても見つかりませんでした。都市名か IANA 形式のタイムゾーン名を入力してください（例: /ippo tz 東京、/ippo tz America/New_York）。
> /ippo tz Tokio
! 「Tokio」がどのタイムゾーンか、はっきりしませんでした。Asia/Tokyo のことでしょうか。まだ何も変えていません。ボタンを押すか、/ippo tz Asia/Tokyo と入力してください。
  [1] Asia/Tokyo にする
1を入力すると、最新のメッセージのボタンを押せます。
> /ippo tz PST
! 「PST」は一年中同じ時差で、夏時間に切り替わりません。夏時間のある地域では、その間お知らせが1時間ずれてしまいます。まだ何も変えていません。America/Los_Angeles のように地域で選んでください。ボタンを押すか、/ippo tz America/Los_Angeles と入力してください。
  [1] America/Los_Angeles にする
1を入力すると、最新のメッセージのボタンを押せます。
> /ippo tz CST
! 「CST」は一年中同じ時差で、夏時間に切り替わりません。夏時間のある地域では、その間お知らせが1時間ずれてしまいます。まだ何も変えていません。America/Chicago、Asia/Shanghai のように地域で選んでください。ボタンを押すか、/ippo tz America/Chicago と入力してください。
  [1] America/Chicago にする
  [2] Asia/Shanghai にする
番号（1〜2）を入力すると、最新のメッセージのボタンを押せます。
> /ippo tz GMT+13
! 「GMT+13」は一年中同じ時差で、夏時間に切り替わりません。夏時間のある地域では、その間お知らせが1時間ずれてしまいます。まだ何も変えていません。Pacific/Auckland のように地域で選んでください。ボタンを押すか、/ippo tz Pacific/Auckland と入力してください。
  [1] Pacific/Auckland にする
1を入力すると、最新のメッセージのボタンを押せます。
> /ippo nudge オフ
週ごとのお知らせはすでにオフです。
> /ippo nudge pause 2
週ごとのお知らせはオフなので、お休みの設定はいりません。/ippo nudge on でオンにできます。
> /ippo nudge when 金 18:00
✓ 毎週金曜日 18:00（Asia/Tokyo）で保存しました。今は週ごとのお知らせがオフです。/ippo nudge on でオンにできます。
> /ippo nudge オン
== ✓ 週ごとのお知らせ ==
週ごとのお知らせをオンにしました。週に一度、小さな一歩を提案します。いつでも見送ったり止めたりできます。
曜日と時刻: 毎週金曜日 18:00（Asia/Tokyo）
次回: 2026年11月27日（金） 18:00
祝日と12月29日〜1月3日は、次の平日にずらしてお送りします。
  [1] オフにする
1を入力すると、最新のメッセージのボタンを押せます。
> /ippo nudge オン
== 週ごとのお知らせ ==
週ごとのお知らせはすでにオンです。
曜日と時刻: 毎週金曜日 18:00（Asia/Tokyo）
次回: 2026年11月27日（金） 18:00
祝日と12月29日〜1月3日は、次の平日にずらしてお送りします。
  [1] オフにする
1を入力すると、最新のメッセージのボタンを押せます。
> /ippo nudge ときどき
! 「ときどき」は /ippo nudge のあとに使えません。使えるのは on（オン）、off（オフ）、when <曜日> <時刻>、pause <週数> です（例: /ippo nudge when 金曜 18時、/ippo nudge pause 2）。/ippo nudge だけなら今の設定を表示します。
> /ippo nudge on いま
! 「on いま」は /ippo nudge のあとに使えません。使えるのは on（オン）、off（オフ）、when <曜日> <時刻>、pause <週数> です（例: /ippo nudge when 金曜 18時、/ippo nudge pause 2）。/ippo nudge だけなら今の設定を表示します。
> /ippo nudge when
! 曜日と時刻を続けて入力してください（例: /ippo nudge when 金曜 18時）。曜日だけ（/ippo nudge when 月曜）や時刻だけ（/ippo nudge when 9:30）でも変えられます。
> /ippo nudge when そのうち
! 「そのうち」を曜日と時刻として読み取れませんでした（例: /ippo nudge when 金曜 18時、/ippo nudge when 月 9:30）。
> /ippo nudge when 金 土
! 「金 土」を曜日と時刻として読み取れませんでした（例: /ippo nudge when 金曜 18時、/ippo nudge when 月 9:30）。
> /ippo nudge when 25時
! 「25時」を曜日と時刻として読み取れませんでした（例: /ippo nudge when 金曜 18時、/ippo nudge when 月 9:30）。
> /ippo nudge pause
! お休みする週数を1〜26で続けて入力してください（例: /ippo nudge pause 2）。
> /ippo nudge pause 0
! 「0」はお休みする週数として使えません。1〜26の数字で入力してください（例: /ippo nudge pause 2）。
> /ippo nudge pause 27週間
! 「27週間」はお休みする週数として使えません。1〜26の数字で入力してください（例: /ippo nudge pause 2）。
> /ippo nudge pause 二
! 「二」はお休みする週数として使えません。1〜26の数字で入力してください（例: /ippo nudge pause 2）。
> /ippo nudge pause -1
! 「-1」はお休みする週数として使えません。1〜26の数字で入力してください（例: /ippo nudge pause 2）。
