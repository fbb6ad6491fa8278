using Routing.Contracts.Knowledge;

namespace Routing.Tests.Knowledge;

/// <summary>
/// A small bilingual knowledge base of a web shop, and questions customers ask it — paraphrases, typos, Chinese and
/// English mixed — each with the article that answers it, or none. Written for these tests.
/// </summary>
public static class KnowledgeSet
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<KnowledgeArticle> Articles { get; } =
    [
        En(
            "refund",
            "How do I get a refund?",
            ["Can I get my money back?", "request a refund for my order"],
            "Open the order, choose Return or refund, and the money is back on your card within 3 working days.",
            "after-sales"
        ),
        En(
            "shipping-time",
            "How long does delivery take?",
            ["when will my parcel arrive", "shipping time"],
            "Orders ship within 24 hours; delivery takes 2-4 days, up to 7 days during Singles' Day.",
            "delivery"
        ),
        En(
            "change-address",
            "Can I change the delivery address?",
            ["wrong address on my order", "update shipping address"],
            "Before the order ships, edit the address under My orders; after that, ask the courier.",
            "delivery"
        ),
        En(
            "cancel-order",
            "How do I cancel an order?",
            ["cancel my purchase", "I ordered by mistake"],
            "Unshipped orders can be cancelled under My orders; the payment is returned at once.",
            "orders"
        ),
        En(
            "invoice",
            "How do I get an invoice?",
            ["need a VAT receipt", "download invoice"],
            "Invoices can be downloaded from the order page once it is delivered.",
            "orders"
        ),
        En(
            "coupon",
            "Why can't I use my coupon?",
            ["coupon code not working", "discount voucher invalid"],
            "Check the coupon's minimum spend, its expiry date and the shops it applies to.",
            "promotions"
        ),
        En(
            "payment-failed",
            "My payment failed",
            ["card declined", "payment error at checkout"],
            "Try another card or wallet; if you were charged, the amount is released within 24 hours.",
            "payments"
        ),
        En(
            "track-parcel",
            "Where is my package?",
            ["track my order", "tracking number"],
            "Open My orders and choose Track to see the courier's updates.",
            "delivery"
        ),
        En(
            "exchange-size",
            "Can I exchange for another size?",
            ["shoes too small", "swap size"],
            "Within 7 days of delivery, request an exchange from the order page; the new size ships free.",
            "after-sales"
        ),
        En(
            "warranty",
            "What does the warranty cover?",
            ["broken after a month", "repair under guarantee"],
            "Electronics carry a one-year warranty against defects; damage by accident is not covered.",
            "after-sales"
        ),
        Zh(
            "zh-refund",
            "如何申请退款？",
            ["钱什么时候退回来", "我要退款"],
            "进入订单，选择“退货/退款”，款项会在3个工作日内退回原支付账户。",
            "after-sales"
        ),
        Zh(
            "zh-shipping",
            "多久能发货？",
            ["什么时候到货", "快递几天能到"],
            "订单24小时内发货，一般2-4天送达，双十一期间最长7天。",
            "delivery"
        ),
        Zh(
            "zh-address",
            "怎么修改收货地址？",
            ["地址填错了", "换个收货地址"],
            "发货前可在“我的订单”中修改地址；发货后请联系快递员。",
            "delivery"
        ),
        Zh(
            "zh-deposit",
            "双十一定金可以退吗？",
            ["预售定金退款", "付了定金不想要了"],
            "预售定金在付尾款前不退，除非商品缺货；尾款支付后可按正常流程退货。",
            "promotions"
        ),
        Zh(
            "zh-price-protect",
            "买贵了可以价保吗？",
            ["降价补差价", "保价规则"],
            "签收后7天内同款降价，可在订单页申请价保，差价退回原账户。",
            "promotions"
        ),
        Zh(
            "zh-invoice",
            "怎么开发票？",
            ["需要增值税发票", "电子发票在哪里下载"],
            "订单完成后，可在订单详情页申请并下载电子发票。",
            "orders"
        ),
        Zh(
            "zh-points",
            "会员积分怎么用？",
            ["积分抵现", "积分过期了吗"],
            "积分可在结算时抵扣现金，100积分抵1元，积分每年年底清零。",
            "membership"
        ),
        Zh(
            "zh-damaged",
            "收到的商品坏了怎么办？",
            ["包裹破损", "商品有质量问题"],
            "签收后48小时内拍照上传，我们会为您补发或退款。",
            "after-sales"
        ),
        Zh(
            "zh-iphone-return",
            "iPhone 可以七天无理由退货吗？",
            ["苹果手机退货", "iPhone 退货条件"],
            "未激活的 iPhone 支持七天无理由退货；激活后仅质量问题可退。",
            "after-sales"
        ),
        Zh(
            "zh-login",
            "登录不了怎么办？",
            ["忘记密码", "验证码收不到"],
            "点击“忘记密码”通过手机验证码重置；收不到验证码请检查短信拦截。",
            "account"
        ),
    ];

    /// <summary>Questions as customers type them, with the article that answers each, or null when none does.</summary>
    public static IReadOnlyList<(string Question, string? Expected)> Questions { get; } =
    [
        ("I want my money back", "refund"),
        ("how can i get a refnud", "refund"),
        ("refund please", "refund"),
        ("when does my parcel arrive?", "shipping-time"),
        ("how many days for delivery", "shipping-time"),
        ("I typed the wrong adress", "change-address"),
        ("change shipping address", "change-address"),
        ("cancel order", "cancel-order"),
        ("I ordered this by mistake, can I cancel", "cancel-order"),
        ("where can I download my invoice", "invoice"),
        ("coupon not working", "coupon"),
        ("my voucher code is invalid", "coupon"),
        ("card was declined at checkout", "payment-failed"),
        ("where is my package", "track-parcel"),
        ("tracking nubmer", "track-parcel"),
        ("the shoes are too small, can I swap", "exchange-size"),
        ("is it covered by warranty", "warranty"),
        ("我要退款", "zh-refund"),
        ("退款多久到账", "zh-refund"),
        ("快递几天到", "zh-shipping"),
        ("什么时候发货", "zh-shipping"),
        ("收货地址填错了", "zh-address"),
        ("定金能退吗", "zh-deposit"),
        ("双十一 定金 退款", "zh-deposit"),
        ("降价了能补差价吗", "zh-price-protect"),
        ("电子发票", "zh-invoice"),
        ("积分怎么抵现", "zh-points"),
        ("商品坏了", "zh-damaged"),
        ("包裹破损怎么办", "zh-damaged"),
        ("iPhone 退货", "zh-iphone-return"),
        ("iphone return 七天", "zh-iphone-return"),
        ("忘记密码登录不了", "zh-login"),
        ("do you sell gift cards", null),
        ("你们有实体店吗", null),
    ];

    private static KnowledgeArticle En(string id, string title, string[] questions, string answer, string topic) =>
        new(id, title, questions, answer, topic, KnowledgeArticle.English, [], true, 1, At, null);

    private static KnowledgeArticle Zh(string id, string title, string[] questions, string answer, string topic) =>
        new(id, title, questions, answer, topic, KnowledgeArticle.Chinese, [], true, 1, At, null);
}
