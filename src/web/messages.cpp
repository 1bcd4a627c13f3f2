#include "web/messages.hpp"

#include <algorithm>
#include <unordered_map>

namespace wenku::web {
namespace {

struct Message {
  std::string_view key;
  std::string_view zh;
  std::string_view en;
};

// The catalog. Keep keys sorted by page; add both languages together.
constexpr Message kMessages[] = {
    // layout
    {"search", "搜索", "Search"},
    {"search_placeholder", "搜索文档标题、内容", "Search titles and text"},
    {"upload", "上传文档", "Upload"},
    {"login", "登录", "Log in"},
    {"logout", "退出", "Log out"},
    {"register", "注册", "Register"},
    {"other_language", "English", "中文"},
    {"footer", "自托管文档库", "a self-hosted document library"},
    {"copyright_contact", "版权与举报", "Copyright and reports"},
    // home and listings
    {"home_heading", "分享文档，随时阅读", "Share documents, read them anywhere"},
    {"latest", "最新文档", "Latest documents"},
    {"popular", "热门文档", "Popular"},
    {"categories", "文档分类", "Categories"},
    {"views_unit", "浏览", "views"},
    {"downloads_unit", "下载", "downloads"},
    {"no_documents", "暂无文档", "No documents yet"},
    {"prev_page", "上一页", "Previous"},
    {"next_page", "下一页", "Next"},
    {"sort_latest", "最新", "Newest"},
    {"sort_popular", "最热", "Most popular"},
    {"category_heading", "分类：{0}", "Category: {0}"},
    {"uploader_heading", "{0} 上传的文档", "Documents uploaded by {0}"},
    {"uploader_since", "{0} 加入", "joined {0}"},
    {"pages_count", "{0} 页", "{0} pages"},
    {"search_heading", "搜索：{0}", "Search: {0}"},
    {"search_results", "找到 {0} 篇文档", "{0} documents found"},
    {"filter_all", "全部", "All"},
    {"filter_format", "格式", "Format"},
    {"filter_category", "分类", "Category"},
    {"filter_price", "价格", "Price"},
    {"filter_paid", "付费", "Paid"},
    {"filter_pages", "页数", "Pages"},
    {"sort_by", "排序", "Sort"},
    {"sort_relevance", "相关度", "Relevance"},
    {"sort_newest", "最新", "Newest"},
    {"sort_downloads", "下载最多", "Most downloaded"},
    {"list_separator", "、", ", "},
    {"hit_pages", "第 {0} 页", "Pages {0}"},
    {"hit_pages_more", "第 {0} 页等 {1} 页", "Pages {0} and more ({1} in all)"},
    {"no_results", "没有找到相关文档。换个词试试，或去掉筛选条件。",
     "Nothing found. Try other words, or fewer filters."},
    {"search_in_document", "在本文档中搜索", "Search in this document"},
    {"document_search_heading", "“{0}”在本文档中", "“{0}” in this document"},
    {"document_search_results", "{0} 页含有这些词", "{0} pages hold these words"},
    {"document_search_none", "本文档中没有找到这些词。", "These words are not in this document."},
    {"page_n", "第 {0} 页", "Page {0}"},
    // page images drawn on request (page_image_show.cpp)
    {"page_render_busy", "正在生成的页面图片太多，请几秒后再试。",
     "Too many page images are being drawn right now; try again in a few seconds."},
    {"page_render_failed_heading", "这一页无法显示", "This page cannot be shown"},
    {"page_render_failed", "第 {0} 页无法生成图片：{1}。在文档重新转换之前不会再次尝试。",
     "Page {0} could not be drawn: {1}. It will not be tried again until the document is "
     "converted again."},
    {"back_to_document", "返回文档", "Back to the document"},
    {"search_empty", "请输入要搜索的词", "Type a few words to search for"},
    // document page
    {"format", "格式", "Format"},
    {"pages", "页数", "Pages"},
    {"size", "大小", "Size"},
    {"uploaded_at", "上传时间", "Uploaded"},
    {"uploader", "上传者", "Uploader"},
    {"category", "分类", "Category"},
    {"views", "浏览", "Views"},
    {"downloads", "下载", "Downloads"},
    {"price", "价格", "Price"},
    {"price_free", "免费", "Free"},
    {"price_points", "{0} 积分", "{0} points"},
    {"download", "下载本文档", "Download this document"},
    {"copyright_heading", "版权说明", "Copyright"},
    {"copyright_notice",
     "本文档由用户提供并上传，收益归属内容提供方，若内容存在侵权，请进行举报或认领",
     "This document was uploaded by a user and its revenue goes to them. If it infringes your "
     "rights, report or claim it"},
    {"report", "举报", "Report"},
    {"claim", "认领", "Claim"},
    {"delete_document", "删除文档", "Delete document"},
    {"converting", "正在转换", "Converting"},
    {"conversion_failed", "转换失败", "Conversion failed"},
    {"summary_heading", "文档简介", "Summary"},
    {"preview_end", "免费预览已结束，剩余 {0} 页可下载查看",
     "The free preview has ended; download to read the remaining {0} pages"},
    {"read_more", "继续阅读后面的页", "Read the following pages"},
    {"members_heading", "压缩包内共 {0} 个文件", "{0} files in this archive"},
    {"page_alt", "第 {0} 页", "Page {0}"},
    {"tips_heading", "温馨提示", "Good to know"},
    {"tip_1", "本站所有资源如无特殊说明，均可在线预览前几页，下载后可查看全文。",
     "Unless noted otherwise, the first pages of every document can be read online; download "
     "it to read all of it."},
    {"tip_2", "文件的所有权益归上传用户所有，收益归属内容提供方。",
     "All rights to a file stay with the user who uploaded it, and its revenue goes to them."},
    {"tip_3", "未经权益所有人同意不得将文件中的内容挪作商业或盈利用途。",
     "Do not use a file's content commercially without the consent of its rights holder."},
    {"tip_4", "下载文件中如有侵权或不适当内容，请举报，我们将立即处理。",
     "If a file infringes rights or is inappropriate, report it and we will act at once."},
    {"comments", "评论", "Comments"},
    {"comment_placeholder", "写下你的评论（最多 150 字）",
     "Write a comment (up to 150 characters)"},
    {"submit_comment", "提交评论", "Post comment"},
    {"comment_too_long", "评论最多 150 字", "A comment has at most 150 characters"},
    {"comment_empty", "请输入评论内容", "Write something first"},
    {"comment_rate_limited", "评论太频繁，请稍后再试", "Too many comments; try again in a minute"},
    {"login_to_comment", "登录后发表评论", "Log in to comment"},
    {"no_comments", "还没有评论", "No comments yet"},
    {"delete", "删除", "Delete"},
    {"stage_queued", "排队中", "waiting"},
    {"converting_paused", "转换已暂停：服务器的文档转换沙箱暂不可用，修复后会自动继续。",
     "Conversion is paused: the server's converter sandbox is not available; it resumes by "
     "itself once it is fixed."},
    {"stage_detect", "识别格式", "detecting the format"},
    {"stage_normalize", "转换为 PDF", "converting to PDF"},
    {"stage_extract", "提取文字", "reading the text"},
    {"stage_render", "生成预览图", "drawing the pages"},
    {"stage_ocr", "文字识别", "recognising scanned text"},
    {"stage_members", "解压文件", "unpacking the archive"},
    {"stage_fingerprint", "生成指纹", "fingerprinting"},
    {"stage_index", "建立索引", "indexing"},
    {"stage_publish", "发布", "publishing"},
    {"stage_done", "完成", "done"},
    {"deleted", "文档已删除", "The document was deleted"},
    // accounts
    {"user_name", "用户名", "User name"},
    {"password", "密码", "Password"},
    {"user_name_hint", "2–32 个字符：汉字、字母、数字、_ 或 -",
     "2–32 characters: letters, digits, _ or -"},
    {"password_hint", "至少 8 个字符", "At least 8 characters"},
    {"no_account", "还没有账号？", "No account yet?"},
    {"have_account", "已有账号？", "Already registered?"},
    {"bad_login", "用户名或密码错误", "Wrong user name or password"},
    {"too_many_logins", "登录尝试过多，请 15 分钟后再试",
     "Too many attempts; try again in 15 minutes"},
    {"name_invalid", "用户名须为 2–32 个字符：汉字、字母、数字、_ 或 -",
     "A user name has 2–32 characters: letters, digits, _ or -"},
    {"name_taken", "该用户名已被注册", "This name is taken"},
    {"password_invalid", "密码须为 8–128 个字符", "A password has 8–128 characters"},
    {"too_many_registrations", "注册过于频繁，请稍后再试",
     "Too many registrations; try again later"},
    // upload
    {"upload_heading", "上传文档", "Upload documents"},
    {"upload_hint",
     "支持 PDF、Word、Excel、PowerPoint、WPS、TXT、图片、压缩包等，单个文件不超过 {0} MB",
     "PDF, Word, Excel, PowerPoint, WPS, text, images, archives… up to {0} MB a file"},
    {"drop_here", "把文件拖到这里，或点击选择（可多选）",
     "Drop files here, or click to choose (several at once)"},
    {"document_details", "文档信息", "Details"},
    {"title", "标题", "Title"},
    {"title_hint", "留空则使用文件名", "Leave empty to use the file name"},
    {"description", "简介", "Description"},
    {"start_upload", "开始上传", "Upload"},
    {"transfer", "上传", "Transfer"},
    {"conversion", "转换", "Conversion"},
    {"remove", "移除", "Remove"},
    {"state_uploading", "上传中", "uploading"},
    {"state_queued", "等待转换", "waiting to convert"},
    {"state_processing", "转换中", "converting"},
    {"state_ready", "已完成", "ready"},
    {"state_failed", "失败", "failed"},
    {"state_taken_down", "已下架", "taken down"},
    // a taken-down document (451), by the reason it was removed for
    // reports and claims (举报, 认领)
    {"complaints_too_many", "提交过于频繁，请稍后再试。",
     "Too many reports; please try again later."},
    {"complaint_field_reason", "请选择举报原因。", "Choose a reason."},
    {"complaint_field_detail", "详细说明最多 1000 字。", "Details are at most 1000 characters."},
    {"complaint_field_work", "请填写被侵权的作品（最多 200 字）。",
     "Name the work (at most 200 characters)."},
    {"complaint_field_rights_holder", "请填写权利人（最多 200 字）。",
     "Name the rights holder (at most 200 characters)."},
    {"complaint_field_contact", "请填写有效的联系邮箱。", "Give a valid contact e-mail address."},
    {"complaint_field_proof", "请填写权属证明（最多 5000 字）。",
     "Give your proof (at most 5000 characters)."},
    {"complaint_field_proof_file", "证明文件须为 PDF 或图片，且不超过 10 MB。",
     "The proof file must be a PDF or an image of at most 10 MB."},
    {"report_heading", "举报文档", "Report a document"},
    {"report_intro", "请说明这篇文档的问题，管理员会尽快核实处理。",
     "Tell us what is wrong with this document; a moderator will look into it soon."},
    {"report_reason", "举报原因", "Reason"},
    {"reason_copyright", "侵犯版权", "Copyright infringement"},
    {"reason_porn", "色情低俗", "Sexual or vulgar content"},
    {"reason_politics", "政治敏感", "Politically sensitive"},
    {"reason_spam", "广告垃圾", "Advertising spam"},
    {"reason_privacy", "侵犯隐私", "Privacy violation"},
    {"reason_other", "其他", "Other"},
    {"report_detail", "详细说明（最多 1000 字）", "Details (at most 1000 characters)"},
    {"report_copyright_hint", "版权投诉请填写被侵权的作品和权利人。",
     "For a copyright complaint, name the work infringed and its rights holder."},
    {"report_work", "被侵权的作品", "Work infringed"},
    {"report_rights_holder", "权利人", "Rights holder"},
    {"report_contact", "联系邮箱", "Contact e-mail"},
    {"report_contact_hint", "未登录时必须填写，便于我们联系你。",
     "Required when you are not logged in, so that we can reach you."},
    {"report_submit", "提交举报", "Send the report"},
    {"report_thanks_heading", "举报已提交", "Report received"},
    {"report_thanks", "感谢你的举报，案件编号 #{0}。管理员会尽快处理。",
     "Thank you. Your report is case #{0}; a moderator will handle it soon."},
    {"claim_heading", "认领文档", "Claim a document"},
    {"claim_intro",
     "如果你是这篇文档的权利人，请提交权属证明。认领通过后，文档归你所有，其收益也转给你。",
     "If you hold the rights to this document, send your proof. Once your claim is accepted, "
     "the document and its earnings are yours."},
    {"claim_work", "你的作品", "Your work"},
    {"claim_proof", "权属证明（最多 5000 字）", "Proof of your rights (at most 5000 characters)"},
    {"claim_contact", "联系方式", "Contact"},
    {"claim_file", "证明文件（可选，PDF 或图片，最大 10 MB）",
     "Proof file (optional: a PDF or an image, at most 10 MB)"},
    {"claim_submit", "提交认领", "Send the claim"},
    {"claim_own", "这是你自己上传的文档，无需认领。",
     "You uploaded this document yourself: there is nothing to claim."},
    {"claim_open_already", "你对这篇文档已有一个待处理的认领，请等待管理员处理。",
     "You already have an open claim on this document; a moderator will decide it."},
    {"claim_thanks_heading", "认领已提交", "Claim received"},
    {"claim_thanks", "认领申请已提交，案件编号 #{0}。管理员核实后会通知你。",
     "Your claim is case #{0}; a moderator will check it and let you know."},
    // moderation (/admin, and the document page for moderators)
    {"admin_nav", "管理", "Moderation"},
    {"admin_nav_cases", "案件", "Cases"},
    {"admin_nav_documents", "文档", "Documents"},
    {"admin_nav_users", "用户", "Users"},
    {"admin_nav_categories", "分类", "Categories"},
    {"admin_nav_settings", "设置", "Settings"},
    {"admin_nav_stats", "统计", "Stats"},
    // /admin/settings
    {"settings_heading", "站点设置", "Site settings"},
    {"settings_intro",
     "这些设置保存在数据库中，保存后立即生效，无需重启；其他进程约 2 "
     "秒内生效。启动时读取的设置（数据目录、监听地址、线程、沙箱、路径）在 wenku.toml 中修改。",
     "These settings are kept in the database and apply as soon as they are saved, without a "
     "restart; other processes follow within about 2 seconds. Settings read at start (data folder, "
     "listen address, threads, sandbox, paths) are changed in wenku.toml."},
    {"settings_group_preview", "预览", "Preview"},
    {"settings_group_economy", "积分", "Points"},
    {"settings_group_copyright", "版权", "Copyright"},
    {"settings_group_site", "站点文字", "Site texts"},
    {"settings_group_limits", "限制", "Limits"},
    {"settings_group_moderation", "审核", "Moderation"},
    {"settings_current", "当前值", "Current value"},
    {"settings_source", "来源", "Source"},
    {"settings_source_default", "默认值", "default"},
    {"settings_source_file", "配置文件", "configuration file"},
    {"settings_source_environment", "环境变量", "environment"},
    {"settings_source_command line", "命令行", "command line"},
    {"settings_source_test", "测试", "test"},
    {"settings_source_database", "数据库（管理员修改）", "database (changed by an admin)"},
    {"settings_save", "保存设置", "Save settings"},
    {"settings_saved", "已保存，{0} 项设置已更改并立即生效。",
     "Saved: {0} settings changed and in effect now."},
    {"settings_unchanged", "没有更改任何设置。", "No setting was changed."},
    {"settings_not_saved", "有设置值不正确，未保存任何更改。",
     "Some values are not valid; nothing was saved."},
    {"settings_not_a_number", "请输入整数。", "Enter a whole number."},
    {"settings_out_of_range", "请输入 {0} 到 {1} 之间的整数。",
     "Enter a whole number from {0} to {1}."},
    {"settings_too_long", "内容过长（最多 {0} 字节）。", "Too long (at most {0} bytes)."},
    {"settings_unknown", "没有这项设置。", "There is no such setting."},
    {"settings_not_runtime", "这项设置只在启动时读取，请在 wenku.toml 中修改。",
     "This setting is read at start only: change it in wenku.toml."},
    {"settings_not_a_value", "值必须是整数或字符串。",
     "The value must be a whole number or a string."},
    {"admin_heading", "举报与认领", "Reports and claims"},
    {"admin_type", "类型", "Type"},
    {"admin_state", "状态", "State"},
    {"admin_all", "全部", "All"},
    {"admin_filter", "筛选", "Filter"},
    {"admin_no_cases", "没有符合条件的案件。", "No cases match."},
    {"case_type_report", "举报", "Report"},
    {"case_type_claim", "认领", "Claim"},
    {"case_type_near_duplicate", "疑似重复", "Near duplicate"},
    {"case_state_open", "待处理", "Open"},
    {"case_state_dismissed", "已驳回", "Dismissed"},
    {"case_state_taken_down", "已下架", "Taken down"},
    {"case_state_accepted", "认领通过", "Accepted"},
    {"case_state_rejected", "认领被拒", "Rejected"},
    {"case_number", "案件 #{0}", "Case #{0}"},
    {"case_reason", "原因", "Reason"},
    {"case_reporter", "提交人", "From"},
    {"case_anonymous", "匿名", "anonymous"},
    {"case_detail", "说明", "Details"},
    {"case_proof", "权属证明", "Proof"},
    {"case_proof_file", "附有证明文件", "A proof file is attached"},
    {"case_work", "作品", "Work"},
    {"case_rights_holder", "权利人", "Rights holder"},
    {"case_contact", "联系方式", "Contact"},
    {"case_similarity", "相似度", "Similarity"},
    {"case_created", "提交于", "Opened"},
    {"case_decided", "处理说明", "Decision note"},
    {"case_document", "被举报文档", "Document"},
    {"case_other_document", "相似的文档", "The document it resembles"},
    {"case_audit", "处理记录", "History"},
    {"decide_action", "处理方式", "Decision"},
    {"decide_note", "处理说明（必填，会告知相关用户）",
     "Note (required; the people concerned are told)"},
    {"decide_submit", "提交处理", "Decide"},
    {"action_dismiss", "驳回", "Dismiss"},
    {"action_take_down", "下架", "Take down"},
    {"action_setting", "修改设置", "Setting changed"},
    {"action_accept_claim", "认可认领", "Accept the claim"},
    {"action_reject_claim", "拒绝认领", "Reject the claim"},
    {"action_restore", "恢复上架", "Restore"},
    {"moderate_heading", "管理操作", "Moderation"},
    {"moderate_reason", "下架原因", "Reason"},
    {"moderate_cases", "查看该文档的案件", "Cases about this document"},
    {"moderate_removed", "该文档已下架：{0}", "This document is taken down: {0}"},
    {"moderation_field_note", "请填写处理说明（最多 1000 字）。",
     "Write a note (at most 1000 characters)."},
    {"moderation_field_action", "请选择适用的处理方式。", "Choose a decision that applies."},
    {"moderation_field_reason", "请选择下架原因。", "Choose a reason."},
    {"moderation_conflict", "该案件或文档的状态已改变（可能已被其他管理员处理），请刷新后再试。",
     "The case or document has changed (another moderator may have decided it); reload and try "
     "again."},
    {"audit_none", "暂无记录", "Nothing yet"},
    // the inbox on /me, by notification kind
    {"me_notifications", "消息通知", "Notifications"},
    {"notice_report", "你的文档被举报", "Your document was reported"},
    {"notice_claim", "你的文档被认领", "Someone claimed your document"},
    {"notice_taken_down", "你的文档已被下架", "Your document was taken down"},
    {"notice_restored", "你的文档已恢复", "Your document was restored"},
    {"notice_claim_accepted", "你的认领已通过", "Your claim was accepted"},
    {"notice_claim_lost", "你的文档已被权利人认领",
     "Your document was claimed by its rights holder"},
    {"notice_claim_rejected", "你的认领未通过", "Your claim was rejected"},
    {"removed_heading", "文档已下架", "Document removed"},
    {"removed_copyright", "该文档因版权投诉已被下架。",
     "This document was removed after a copyright complaint."},
    {"removed_porn", "该文档因含有色情低俗内容已被下架。",
     "This document was removed for sexual or vulgar content."},
    {"removed_politics", "该文档因含有政治敏感内容已被下架。",
     "This document was removed for politically sensitive content."},
    {"removed_spam", "该文档因属于广告垃圾已被下架。",
     "This document was removed as advertising spam."},
    {"removed_privacy", "该文档因侵犯隐私已被下架。",
     "This document was removed for violating privacy."},
    {"removed_other", "该文档已被管理员下架。", "This document was removed by a moderator."},
    {"open_document", "查看文档", "Open the document"},
    {"choose_files", "请先选择文件", "Choose files first"},
    {"uploaded_heading", "上传完成", "Uploaded"},
    {"uploaded_message", "文件已上传，正在转换。", "The files are uploaded and being converted."},
    {"title_invalid", "标题最多 200 个字符", "A title has at most 200 characters"},
    {"category_invalid", "请选择一个分类", "Choose a category"},
    {"price_invalid", "价格须为 0–100000 之间的整数",
     "The price is a whole number from 0 to 100000"},
    {"description_invalid", "简介最多 2000 个字符", "A description has at most 2000 characters"},
    {"file_missing", "请选择要上传的文件", "Choose a file to upload"},
    {"file_empty", "文件是空的", "The file is empty"},
    {"file_too_large", "文件超过 {0} MB", "The file is larger than {0} MB"},
    // download
    {"download_login", "请登录后下载", "Log in to download"},
    {"download_needs_points", "需 {0} 积分", "{0} points"},
    // buying a document (/d/{id}/buy)
    {"buy_heading", "购买文档", "Buy this document"},
    {"buy_price", "价格（积分）", "Price (points)"},
    {"buy_balance", "当前积分", "Your balance"},
    {"buy_after", "购买后剩余", "Balance afterwards"},
    {"buy_confirm", "确认购买", "Buy it"},
    {"buy_cancel", "返回文档", "Back to the document"},
    {"buy_short", "积分不足，暂时无法购买本文档。",
     "You do not have enough points for this document."},
    {"earn_checkin", "每日签到可得 {0} 积分。", "Check in daily for {0} points."},
    {"earn_upload", "上传的文档转换完成后可得 {0} 积分。",
     "Each document you upload earns {0} points once it is ready."},
    {"purchase_key_missing", "缺少或过长的幂等键（Idempotency-Key）",
     "The idempotency key (Idempotency-Key) is missing or too long"},
    // my points (/me)
    {"me_heading", "我的积分", "My points"},
    {"me_balance", "积分余额", "Balance"},
    {"me_pending", "待结算收益", "Pending earnings"},
    {"me_debt", "欠款", "Debt"},
    {"me_debt_hint",
     "积分余额低于零：还清欠款前不能购买文档。签到、上传奖励和结算的收益会先用于还款。",
     "Your balance is below zero: you cannot buy documents until the debt is paid. Check-ins, "
     "upload rewards and settled earnings pay it off first."},
    {"me_checkin", "签到", "Check in"},
    {"me_checked_in", "今日已签到", "Checked in today"},
    {"me_checkin_hint", "每日签到可得 {0} 积分", "Check in daily for {0} points"},
    {"already_checked_in", "今天已经签到过了", "You have already checked in today"},
    {"me_history", "积分明细", "History"},
    {"me_purchases", "我购买的文档", "Documents I bought"},
    {"me_uploads", "我上传的文档与收益", "My uploads and earnings"},
    {"me_uploads_empty", "你还没有上传文档。文档被购买后，你可获得收益。",
     "You have not uploaded anything yet. When your documents are bought, you earn points."},
    {"me_all_uploads", "查看全部文档", "All my documents"},
    {"me_upload_title", "标题", "Title"},
    {"me_upload_state", "状态", "State"},
    {"me_sales", "售出", "Sales"},
    {"me_earnings", "收益（积分）", "Earnings (points)"},
    {"me_earnings_hint",
     "收益为售价扣除平台佣金，退款会扣回；收益先计入待结算收益，{0} 天后转入积分余额。",
     "Earnings are the price less the platform's commission, taken back by a refund; they wait "
     "as pending earnings for {0} days, then move to your balance."},
    {"me_earnings_chart_label", "近 {0} 天每日收益（积分）：最高 {1}，合计 {2}",
     "Earnings per day over the last {0} days (points): highest {1}, total {2}"},
    {"me_earnings_total", "近 {0} 天收益合计 {1} 积分（{2} 至 {3}）",
     "Earned in the last {0} days: {1} points ({2} to {3})"},
    {"me_history_empty", "暂无记录", "Nothing yet"},
    {"me_date", "日期", "Date"},
    {"me_kind", "类型", "Kind"},
    {"me_account", "账户", "Account"},
    {"me_amount", "变动", "Change"},
    {"me_balance_after", "变动后", "Afterwards"},
    {"me_newer", "较新", "Newer"},
    {"me_older", "较早", "Older"},
    {"ledger_signup_bonus", "注册奖励", "Sign-up bonus"},
    {"ledger_checkin", "签到", "Check-in"},
    {"ledger_upload_reward", "上传奖励", "Upload reward"},
    {"ledger_purchase", "购买文档", "Purchase"},
    {"ledger_settle", "收益结算", "Settlement"},
    {"ledger_refund", "退款", "Refund"},
    {"ledger_grant", "系统赠送", "Grant"},
    {"ledger_reversal", "奖励撤回", "Reward reversed"},
    // errors
    {"not_found_heading", "页面不存在", "Page not found"},
    {"not_found_message", "你要找的页面不存在，或已被删除。",
     "The page does not exist or was deleted."},
    {"forbidden_heading", "无权访问", "Not allowed"},
    {"forbidden_message", "你没有权限执行此操作。", "You are not allowed to do this."},
    {"csrf_message", "表单已过期，请返回重新提交。",
     "The form has expired; go back and send it again."},
    {"server_error_heading", "服务器出错了", "Something went wrong"},
    {"server_error_message", "请稍后再试。我们已记录这个问题。",
     "Try again later; the problem was logged."},
    {"bad_request_heading", "请求有误", "Bad request"},
    {"bad_request_message", "请求无法处理。", "The request could not be handled."},
    {"busy_heading", "服务器繁忙", "Server busy"},
    {"busy_message", "同时上传的文件太多，请稍后再试。",
     "Too many uploads at once; please try again shortly."},
    {"too_large_heading", "文件太大", "Too large"},
    {"too_large_message", "上传的内容超过了大小限制。", "The upload is larger than allowed."},
    {"rate_limited_heading", "操作太频繁", "Slow down"},
    {"back_home", "返回首页", "Back to the home page"},
    // copyright page
    {"copyright_page_heading", "版权与举报", "Copyright and reports"},
    {"copyright_page_message",
     "如认为某篇文档侵犯了你的权益，或你是文档的权利人希望认领，请将文档链接、你的身份说明和权利证"
     "明发送至 {0}，我们会在 3 个工作日内处理。也可以使用每篇文档页面上的“举报”和“认领”表单。",
     "If a document infringes your rights, or you hold its rights and want to claim it, send its "
     "link, who you are and proof of your rights to {0}; we answer within 3 working days. Or use "
     "the Report and Claim forms on each document's page."},
    // search: locked pages stay locked, and searches are rate-limited
    {"more_in_full_document", "完整文档中还有更多匹配", "More matches in the full document"},
    {"search_rate_limited", "搜索太频繁，请 {0} 秒后再试",
     "Too many searches; try again in {0} seconds"},
};

const std::unordered_map<std::string_view, const Message*>& Index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const Message*>();
    for (const auto& msg : kMessages) m->emplace(msg.key, &msg);
    return m;
  }();
  return *index;
}

}  // namespace

std::string_view LangTag(Lang lang) { return lang == Lang::kEn ? "en" : "zh-CN"; }
std::string_view LangCode(Lang lang) { return lang == Lang::kEn ? "en" : "zh"; }

std::optional<Lang> ParseLang(std::string_view code) {
  if (code == "en" || code.starts_with("en-")) return Lang::kEn;
  if (code == "zh" || code.starts_with("zh-") || code == "zh_CN") return Lang::kZh;
  return std::nullopt;
}

Lang LangFromAcceptLanguage(std::string_view header) {
  // The first listed language we speak wins (browsers list them by preference).
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    item = item.substr(0, item.find(';'));
    std::string lower(item);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto lang = ParseLang(lower)) return *lang;
  }
  return Lang::kZh;
}

std::optional<std::string_view> Find(Lang lang, std::string_view key) {
  auto it = Index().find(key);
  if (it == Index().end()) return std::nullopt;
  return lang == Lang::kEn ? it->second->en : it->second->zh;
}

std::string T(Lang lang, std::string_view key) {
  auto m = Find(lang, key);
  return std::string(m ? *m : key);
}

std::string Format(Lang lang, std::string_view key, const std::vector<std::string>& args) {
  // One pass over the template: inserted arguments are never searched again, so an
  // argument that itself contains "{0}" (a search query, a title) is shown as typed.
  const std::string text = T(lang, key);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string::npos && close > i + 1 && close - i <= 3) {
        std::string_view digits(text.data() + i + 1, close - i - 1);
        if (std::all_of(digits.begin(), digits.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
          size_t n = std::stoul(std::string(digits));
          if (n < args.size()) {
            out += args[n];
            i = close;
            continue;
          }
        }
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string_view> AllKeys() {
  std::vector<std::string_view> keys;
  for (const auto& m : kMessages) keys.push_back(m.key);
  return keys;
}

std::optional<std::string> CategoryName(Lang lang, std::string_view slug) {
  const Category* c = library::FindCategory(slug);
  if (c == nullptr) return std::nullopt;
  return std::string(lang == Lang::kEn ? c->en : c->zh);
}

}  // namespace wenku::web
