using System.Diagnostics;
using System.Globalization;
using Routing.Contracts.Knowledge;
using Routing.Knowledge;

namespace Routing.LoadTests.Knowledge;

/// <summary>
/// <c>--mode knowledge</c>: the knowledge base's search over a large base (docs/self-service.md, "Search") — 10,000
/// generated articles, half Chinese and half English, and 2,000 questions made from their question variants with a
/// word dropped and, in English, a typo — timed query by query, beside a baseline on the same questions: a scan that
/// scores every article by the words (English) or character pairs (Chinese) it shares with the question, what one
/// would write without a search engine. Reports the latencies. (The generated articles are random phrases over a small
/// vocabulary, so which one a question "should" find is not well defined: relevance is measured on the hand-written set
/// of <c>KnowledgeIndexTests</c> instead.)
/// </summary>
public static class KnowledgeBenchmark
{
    private const int Articles = 10_000;
    private const int Questions = 2_000;

    private static readonly string[] English =
    [
        "order",
        "refund",
        "parcel",
        "delivery",
        "address",
        "invoice",
        "coupon",
        "payment",
        "card",
        "warranty",
        "size",
        "exchange",
        "return",
        "account",
        "password",
        "login",
        "points",
        "member",
        "discount",
        "price",
        "shipping",
        "courier",
        "tracking",
        "damaged",
        "missing",
        "cancel",
        "change",
        "deposit",
        "presale",
        "gift",
        "voucher",
        "battery",
        "screen",
        "charger",
        "headphones",
        "laptop",
        "phone",
        "shoes",
        "jacket",
        "dress",
        "store",
        "pickup",
        "receipt",
        "tax",
        "bank",
        "wallet",
    ];

    private static readonly string[] Chinese =
    [
        "订单",
        "退款",
        "包裹",
        "快递",
        "地址",
        "发票",
        "优惠券",
        "支付",
        "银行卡",
        "保修",
        "尺码",
        "换货",
        "退货",
        "账号",
        "密码",
        "登录",
        "积分",
        "会员",
        "折扣",
        "价格",
        "运费",
        "物流",
        "破损",
        "丢件",
        "取消",
        "修改",
        "定金",
        "预售",
        "礼品卡",
        "红包",
        "电池",
        "屏幕",
        "充电器",
        "耳机",
        "电脑",
        "手机",
        "鞋子",
        "外套",
        "裙子",
        "门店",
        "自提",
        "收据",
        "税费",
        "钱包",
    ];

    public static Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var random = new Random(11_11);
        var articles = Enumerable.Range(0, Articles).Select(i => Generate(random, i)).ToList();
        var questions = Enumerable.Range(0, Questions).Select(_ => Ask(random, articles[random.Next(articles.Count)])).ToList();

        var built = Stopwatch.StartNew();
        using var index = new KnowledgeIndex();
        index.Apply(articles);
        built.Stop();
        var scan = new BaselineScan(articles);

        // Warm both up (the JIT, the index's caches) on questions that are not timed.
        foreach (var text in questions.Take(100))
        {
            index.Search(new KnowledgeQuery(text));
            scan.Search(text);
        }
        var engine = Time(questions, q => index.Search(new KnowledgeQuery(q)).FirstOrDefault()?.Article.ArticleId, cancellationToken);
        var baseline = Time(questions, scan.Search, cancellationToken);

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                c,
                $"`--mode knowledge` — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: "
                    + $"{Articles:N0} articles (half zh, half en), {Questions:N0} questions, "
                    + $"index built in {built.Elapsed.TotalSeconds:0.0} s"
            )
        );
        Console.WriteLine();
        Console.WriteLine("| search | p50 | p90 | p99 | max |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, result) in new[] { ("Lucene.Net index", engine), ("baseline: a scan of every article", baseline) })
        {
            Console.WriteLine(
                string.Create(
                    c,
                    $"| {name} | {result.P(0.50):0.00} ms | {result.P(0.90):0.00} ms | {result.P(0.99):0.00} ms | "
                        + $"{result.P(1):0.00} ms |"
                )
            );
        }
        Console.WriteLine();
        Console.WriteLine(
            string.Create(c, $"- p99: the index {baseline.P(0.99) / engine.P(0.99):0.0}× faster than the scan (goal: ≤ 20 ms)")
        );
        return Task.FromResult(engine.P(0.99) <= 20 ? 0 : 1);
    }

    private sealed record Timing(double[] Milliseconds)
    {
        public double P(double q) => Milliseconds[Math.Min(Milliseconds.Length - 1, (int)Math.Ceiling(q * Milliseconds.Length) - 1)];
    }

    private static Timing Time(List<string> questions, Func<string, string?> search, CancellationToken cancellationToken)
    {
        var times = new double[questions.Count];
        for (var i = 0; i < questions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            search(questions[i]);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        return new Timing(times);
    }

    private static KnowledgeArticle Generate(Random random, int i)
    {
        var zh = i % 2 == 0;
        var words = zh ? Chinese : English;
        string Phrase(int min, int max) =>
            string.Join(zh ? "" : " ", Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => words[Skewed(random, words.Length)]));
        return new KnowledgeArticle(
            $"a{i}",
            Phrase(3, 6),
            [Phrase(3, 6), Phrase(3, 6), Phrase(3, 6)],
            Phrase(15, 40),
            null,
            zh ? KnowledgeArticle.Chinese : KnowledgeArticle.English,
            [],
            true,
            1,
            DateTimeOffset.UnixEpoch,
            null
        );
    }

    /// <summary>A question variant of <paramref name="article"/> as a customer might type it: a word short, maybe mistyped.</summary>
    private static string Ask(Random random, KnowledgeArticle article)
    {
        var variant = article.Questions[random.Next(article.Questions.Count)];
        if (article.Language == KnowledgeArticle.Chinese)
        {
            return variant.Length > 4 ? variant[2..] : variant;
        }
        var words = variant.Split(' ').ToList();
        if (words.Count > 3)
        {
            words.RemoveAt(random.Next(words.Count));
        }
        var typo = random.Next(words.Count);
        if (words[typo].Length >= 5)
        {
            var w = words[typo].ToCharArray();
            (w[2], w[3]) = (w[3], w[2]);
            words[typo] = new string(w);
        }
        return string.Join(' ', words);
    }

    /// <summary>Common words more often than rare ones, as in real questions.</summary>
    private static int Skewed(Random random, int count) => (int)(count * Math.Pow(random.NextDouble(), 1.6));

    /// <summary>The baseline: every article scored by the terms it shares with the question, the best first.</summary>
    private sealed class BaselineScan(List<KnowledgeArticle> articles)
    {
        private readonly List<(string Id, HashSet<string> Terms)> _terms =
        [
            .. articles.Select(a => (a.ArticleId, Terms(string.Join(' ', [a.Title, .. a.Questions, a.Answer])))),
        ];

        public string? Search(string question)
        {
            var asked = Terms(question);
            string? best = null;
            var bestScore = 0;
            foreach (var (id, terms) in _terms)
            {
                var score = asked.Count(terms.Contains);
                if (score > bestScore)
                {
                    (best, bestScore) = (id, score);
                }
            }
            return best;
        }

        private static HashSet<string> Terms(string text)
        {
            var terms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Any(ch => ch > 0x2E80))
                {
                    for (var i = 0; i + 1 < word.Length; i++)
                    {
                        terms.Add(word.Substring(i, 2));
                    }
                }
                else
                {
                    terms.Add(word);
                }
            }
            return terms;
        }
    }
}
