package io.haitaopulse.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML shells of the dashboard pages and their labels in English and Chinese. The server puts
 * only labels into HTML (escaped); data never passes through here, the page's script fetches it as
 * JSON and builds the DOM with {@code textContent}.
 */
final class Pages {

    /** The pages, in navigation order: path segment and label key. */
    static final List<String> PAGES = List.of("trending", "hot", "traffic", "campaigns", "sourcing");

    private static final Map<String, String> EN = new LinkedHashMap<>();
    private static final Map<String, String> ZH = new LinkedHashMap<>();

    private static void label(String key, String en, String zh) {
        EN.put(key, en);
        ZH.put(key, zh);
    }

    static {
        label("title", "Haitao Pulse", "海淘脉搏");
        label("page.trending", "Trending now", "实时趋势");
        label("page.hot", "Hot items", "热门商品");
        label("page.campaigns", "Campaigns", "营销活动");
        label("page.sourcing", "Sourcing", "选品采购");
        label("lang.other", "中文", "English");
        label("loading", "Loading…", "加载中…");
        label("error", "Cannot read the data", "无法读取数据");
        label("empty", "No rows yet", "暂无数据");
        // {t}: a time in shop time with its offset, {age}: one of freshness.age.*, {n}: a number.
        label("freshness.wall", "Newest data: {t}, {age}", "最新数据：{t}，{age}");
        label("freshness.age.min", "{n} min old", "{n} 分钟前");
        label("freshness.age.h", "{n} h old", "{n} 小时前");
        label("freshness.age.d", "{n} days old", "{n} 天前");
        label("freshness.sim", "Simulated shop time: tables at {t}", "模拟店铺时间：数据表已到 {t}");
        label("freshness.behind.min", "{n} min behind the stream", "落后数据流 {n} 分钟");
        label("freshness.behind.h", "{n} h behind the stream", "落后数据流 {n} 小时");
        label("freshness.behind.d", "{n} days behind the stream", "落后数据流 {n} 天");
        label("freshness.none", "No data yet", "暂无数据");
        label("sep", ", ", "，");
        label("timezone", "Times in shop time, {tz}", "时间均为店铺时间（{tz}）");
        label("timezone.sim", "Times in simulated shop time, {tz}", "时间均为模拟店铺时间（{tz}）");
        label("alerts", "Alerts", "趋势预警");
        label("alerts.none", "No item is trending", "暂无商品处于趋势中");
        label("alerts.ended", "Recently ended (last 6 h)", "近期结束（近 6 小时）");
        label("alerts.ended.none", "None ended in the last 6 h", "近 6 小时内没有结束的预警");
        label("status", "Status", "状态");
        label("status.new", "new", "新");
        label("status.ongoing", "ongoing", "持续中");
        label("started", "Started", "开始");
        label("ended", "Ended", "结束");
        label("duration", "Duration", "持续时间");
        // {n}: minutes; {h} and {m}: hours and the minutes beyond them.
        label("duration.min", "{n} min", "{n} 分钟");
        label("duration.h", "{h} h", "{h} 小时");
        label("duration.hmin", "{h} h {m} min", "{h} 小时 {m} 分钟");
        label("peak_ratio", "Peak ratio", "峰值倍数");
        label("peak_views", "Peak views", "峰值浏览");
        label("trending.items", "Trending items", "趋势商品");
        label("trending.categories", "Categories", "品类");
        label("item", "Item", "商品");
        label("category", "Category", "品类");
        label("views", "Views", "浏览");
        label("carts", "Carts", "加购");
        label("buys", "Buys", "购买");
        label("baseline", "Baseline", "基线");
        label("ratio", "Ratio", "倍数");
        label("z", "z", "z 值");
        label("trend", "Views vs baseline", "浏览 vs 基线");
        label("active_items", "Active items", "活跃商品");
        label("trending_items", "Trending items", "趋势商品数");
        label("scope", "Scope", "范围");
        label("scope.all", "All categories", "全部品类");
        label("rank", "Rank", "排名");
        label("move", "Move", "变化");
        label("move.new", "new", "新上榜");
        label("move.up", "up", "上升");
        label("move.down", "down", "下降");
        label("move.same", "same", "持平");
        label("scoreboard", "Uplift (A/B hold-out)", "增量效果（A/B 对照）");
        label("campaign", "Campaign", "活动");
        label("campaign.none", "No campaign", "无活动");
        label("kind", "Kind", "类型");
        label("kind.HOLIDAY_DISCOUNT", "Holiday discount", "节日折扣");
        label("kind.NEW_USER_COUPON", "New-user coupon", "新客券");
        label("kind.REFERRAL", "Referral", "推荐有礼");
        label("kind.FLASH_SALE", "Flash sale", "限时抢购");
        label("kind.SOCIAL", "Social", "社交传播");
        label("metric", "Metric", "指标");
        label("metric.conversion", "Conversion", "转化率");
        label("metric.revenue_per_user", "Revenue per user", "人均收入");
        label("metric.returns_per_user", "Returns per user", "人均退货额");
        label("n", "Treatment / control", "实验组 / 对照组");
        label("means", "Control → treatment", "对照组 → 实验组");
        label("lift", "Lift", "提升");
        label("ci", "95% CI (fixed)", "95% 置信区间（固定样本）");
        label("anytime_ci", "95% CI (always valid)", "95% 置信区间（随时有效）");
        label("cuped_ci", "95% CI adjusted for pre-period (CUPED)", "95% 置信区间（按活动前行为调整，CUPED）");
        // {n}: the change of the lift's variance in whole percent, signed: "-34".
        label("cuped.variance", "{n}% variance", "方差 {n}%");
        // {c} and {t}: the control and treatment means over the period before exposure.
        label(
                "cuped.title",
                "The lift's 95% interval after taking out what each user's behaviour before the campaign already"
                        + " explains. Before exposure: control {c}, treatment {t}.",
                "扣除用户活动前行为已能解释的部分后，提升的 95% 置信区间。曝光前：对照组 {c}，实验组 {t}。");
        label("chance_to_win", "Chance to win", "胜出概率");
        label("chance_to_win.title", "Probability that the treatment is better than the control", "实验组优于对照组的概率");
        label(
                "chance_to_win.title.returns",
                "Probability that the treatment brings fewer returns per user than the control",
                "实验组人均退货额低于对照组的概率");
        label("risk", "Risk, share of the control mean", "风险（占对照组均值）");
        label("risk.treatment", "roll out", "全量上线");
        label("risk.control", "stop", "停止活动");
        // {abs}: the same expected loss per user in the metric's own unit.
        label(
                "risk.treatment.title",
                "Expected loss if you roll the campaign out to everyone and it is in fact worse: {abs} per user",
                "若全量上线而活动实际更差，预期损失：每用户 {abs}");
        label(
                "risk.control.title",
                "Expected loss if you stop the campaign and it was in fact better: {abs} per user",
                "若停止活动而活动实际更好，预期损失：每用户 {abs}");
        label("why.few_users", "Not enough users yet", "用户数尚不足");
        label(
                "why.no_variation",
                "Not enough data yet: one group has no variation in this metric (e.g. no orders or no returns yet)",
                "数据尚不足：某一组在该指标上尚无差异（如尚无订单或退货）");
        // With two users in each arm the job always adjusts: a row without it was written by an earlier version.
        label(
                "why.cuped",
                "No pre-period adjustment for this row: it was written by an earlier version of the jobs",
                "此行无活动前调整：由早期版本的作业写入");
        label("why.no_control", "No control group yet", "尚无对照组用户");
        label("guardrail", "guardrail: lower is better", "护栏指标：越低越好");
        label("guardrail.warning.short", "Returns up beyond noise", "退货增加超出随机波动");
        label(
                "guardrail.warning",
                "Returns up beyond noise — a discount that sells more but brings returns back is not a win",
                "退货增加超出随机波动——卖得更多却带回退货的折扣不算成功");
        label("ci_bar", "CI", "区间");
        label("srm", "Split check", "分流检验");
        label("srm.warning", "SRM: split broken, do not trust", "SRM：分流异常，结果不可信");
        label("srm.ok", "ok", "正常");
        label("incremental_revenue", "Incremental revenue", "增量收入");
        label("did", "Without hold-out (difference in differences)", "无对照组（双重差分）");
        label("method", "Method", "方法");
        label("lift_rel", "Relative lift", "相对提升");
        label("incremental_gmv", "Incremental GMV", "增量 GMV");
        label("channels", "Channels, last 24 h", "渠道（近 24 小时）");
        label("channel", "Channel", "渠道");
        label("sessions", "Sessions", "会话");
        label("orders", "Orders", "订单");
        label("gmv", "GMV", "GMV");
        label("new_users", "New users", "新用户");
        label("shortlist", "Sourcing shortlist", "选品清单");
        label("brand", "Brand", "品牌");
        label("origin", "Origin", "原产地");
        label("score", "Score", "得分");
        label("forecast", "Forecast units/day", "预测日销量");
        label("conversion", "Conversion", "转化率");
        label("rating", "Rating", "评分");
        label("return_rate", "Returns", "退货率");
        label("complaint_rate", "Complaints", "投诉率");
        label("order_units", "Order units", "建议采购量");
        label("reasons", "Reasons", "理由");
        label("export", "Export CSV", "导出 CSV");
        label("page.traffic", "Traffic", "流量");
        label("traffic.now", "Traffic, newest minute", "流量（最新一分钟）");
        label("traffic.hourly", "PV and UV per hour, last 48 h", "每小时 PV 与 UV（近 48 小时）");
        label("dimension", "Dimension", "维度");
        label("value", "Value", "取值");
        label("pv", "PV", "PV");
        label("uv", "UV", "UV");
        label("uv.estimate", "≈ estimate (HyperLogLog)", "≈ 估算（HyperLogLog）");
        label("funnel", "Funnel, newest hour", "转化漏斗（最新一小时）");
        label("viewers", "Viewers", "浏览用户");
        label("carters", "Carted", "加购用户");
        label("orderers", "Ordered", "下单用户");
        label("payers", "Paid", "支付用户");
        label("view_to_cart", "View → cart", "浏览→加购");
        label("cart_to_order", "Cart → order", "加购→下单");
        label("order_to_paid", "Order → paid", "下单→支付");
        label("unpaid", "Unpaid orders per hour", "每小时未支付订单");
        label("hour", "Hour", "小时");
        label("timed_out", "Timed out", "超时未支付");
        label("paid_late", "Paid late", "超时后支付");
        label("bots", "Bot clicks held out", "已拦截的机器人点击");
        label("rule", "Rule", "规则");
        label("clicks", "Clicks", "点击");
        label("users", "Users", "用户");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Pages() {}

    static Map<String, String> labels(String lang) {
        return "zh".equals(lang) ? ZH : EN;
    }

    /**
     * The shell of {@code page} in {@code lang} ("en" or "zh"); {@code chartJs} is the script path of
     * Chart.js; {@code clock} gives the shop's offset, which the page states and its script shows times in.
     */
    static String shell(String page, String lang, String chartJs, ShopClock clock) {
        Map<String, String> l = labels(lang);
        String labelsJson;
        try {
            labelsJson = JSON.writeValueAsString(l);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder nav = new StringBuilder();
        for (String p : PAGES) {
            nav.append("<a href=\"/")
                    .append(p)
                    .append("?lang=")
                    .append(esc(lang))
                    .append('"')
                    .append(p.equals(page) ? " class=\"current\"" : "")
                    .append('>')
                    .append(esc(l.get("page." + p)))
                    .append("</a>");
        }
        String other = "zh".equals(lang) ? "en" : "zh";
        return "<!DOCTYPE html>\n<html lang=\"" + ("zh".equals(lang) ? "zh-CN" : "en")
                + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(l.get("page." + page)) + " · " + esc(l.get("title")) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/static/dashboard.css\">"
                + "<script src=\"" + esc(chartJs) + "\" defer></script>"
                + "<script src=\"/static/dashboard.js\" defer></script></head>"
                // Labels travel as an escaped attribute: JSON inside HTML, no script block to break out of.
                + "<body data-page=\"" + esc(page) + "\" data-lang=\"" + esc(lang) + "\" data-labels=\""
                + esc(labelsJson) + "\" data-tz-offset=\"" + clock.offset().getTotalSeconds() + "\" data-tz=\""
                + esc(clock.label()) + "\">"
                + "<header><h1>" + esc(l.get("title")) + "</h1><nav>" + nav + "</nav>"
                + "<a id=\"lang\" href=\"/" + esc(page) + "?lang=" + other + "\">" + esc(l.get("lang.other")) + "</a>"
                + "<p id=\"freshness\" class=\"freshness\">" + esc(l.get("loading")) + "</p>"
                + "<p id=\"timezone\" class=\"timezone\">"
                + esc(l.get(clock.isSimulated() ? "timezone.sim" : "timezone").replace("{tz}", clock.label()))
                + "</p></header>"
                + "<main id=\"content\"><h2>" + esc(l.get("page." + page)) + "</h2></main></body></html>\n";
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
