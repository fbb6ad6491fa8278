using System.Data.Common;
using System.Globalization;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The quarter-hour totals interval reports are read from — one row per workspace, quarter hour and queue, agent or
/// channel, kept by <see cref="ReportRollup"/> in the same transactions as the timelines they sum — and the SQL
/// both ledgers share to keep and read them. A report adds up whole quarter hours, so its times fall on quarter
/// hours (every time zone's hours do) and its interval is a whole number of them.
/// </summary>
internal static class ReportQuarters
{
    private static readonly TimeSpan Quarter = IntervalQuery.Quarter;

    /// <summary>An abandon within this long is a short one (the customer barely waited): not held against the service level.</summary>
    public static readonly TimeSpan ShortAbandon = TimeSpan.FromSeconds(5);

    /// <summary>The totals of a row, as columns; a row of totals holds them at the positions of <see cref="Measure"/>. Durations are in
    /// ticks.</summary>
    public static readonly string[] Measures =
    [
        "offered",
        "connected",
        "answer_ticks",
        "in_time",
        "abandoned",
        "short_abandoned",
        "talks",
        "talk_ticks",
        "wrap_ups",
        "wrap_up_ticks",
        "transfers",
        "rating_sum",
        "ratings",
        "self_served",
        "deflected",
        "escalated",
        "self_service_ticks",
    ];

    /// <summary>The measures schema version 5 added (docs/self-service.md): a table made before it gains them then.</summary>
    public static readonly string[] AddedInVersion5 = ["self_served", "deflected", "escalated", "self_service_ticks"];

    /// <summary>Where each total sits in a row of totals: the order of <see cref="Measures"/>.</summary>
    public static class Measure
    {
        public const int Offered = 0,
            Connected = 1,
            AnswerTicks = 2,
            InTime = 3,
            Abandoned = 4,
            ShortAbandoned = 5,
            Talks = 6,
            TalkTicks = 7,
            WrapUps = 8,
            WrapUpTicks = 9,
            Transfers = 10,
            RatingSum = 11,
            Ratings = 12,
            SelfServed = 13,
            Deflected = 14,
            Escalated = 15,
            SelfServiceTicks = 16;
    }

    /// <summary>
    /// A row's key. Each writer adds to rows of its own <c>shard</c> (one per PostgreSQL writer, that is per silo;
    /// 0 for SQLite's one writer and the backfill), so silos never wait on — or deadlock over — each other's busy
    /// rows; a report adds the shards up.
    /// </summary>
    private const string KeyColumns = "workspace, dimension, quarter, report_key, shard";

    /// <summary>How many parameters <see cref="Upsert"/> binds.</summary>
    public static int Parameters => 5 + Measures.Length;

    public static long QuarterOf(DateTimeOffset at) => at.UtcTicks - at.UtcTicks % Quarter.Ticks;

    /// <summary>The table, in the dialect whose integer and text types and table options are given.</summary>
    public static string Table(string integer, string text, string options = "") =>
        $"""
            CREATE TABLE IF NOT EXISTS report_quarters (
                workspace {text} NOT NULL,
                dimension {text} NOT NULL,
                quarter {integer} NOT NULL,
                report_key {text} NOT NULL,
                shard {integer} NOT NULL,
                {string.Join(",\n    ", Measures.Select(m => $"{m} {integer} NOT NULL"))},
                PRIMARY KEY ({KeyColumns})){options};
            """;

    /// <summary>Adds a row's totals to what is stored; parameters in the order of the key's columns, then the measures, named by <paramref
    /// name="parameter"/>.</summary>
    public static string Upsert(Func<int, string> parameter) =>
        $"""
            INSERT INTO report_quarters ({KeyColumns}, {string.Join(", ", Measures)})
            VALUES ({string.Join(", ", Enumerable.Range(0, Parameters).Select(parameter))})
            ON CONFLICT ({KeyColumns}) DO UPDATE SET
            {string.Join(",\n", Measures.Select(m => $"{m} = report_quarters.{m} + excluded.{m}"))}
            """;

    /// <summary>A row's values in the order <see cref="Upsert"/> binds them.</summary>
    public static object[] Values(ReportQuarterKey key, int shard, long[] totals) =>
        [key.Workspace, Dimension(key.By), key.Quarter, key.Key!, shard, .. totals.Cast<object>()];

    public static string Dimension(ReportBy by) => by.ToString().ToLowerInvariant();

    /// <summary>
    /// The report: a row per interval and key with any activity, in order of interval, then key (ordinal). A long
    /// period is read in parts of whole intervals, each on its own connection from <paramref name="open"/>, side by
    /// side: reading the rows is the cost (a month by agent is a million of them), and it divides. The parts are
    /// separate reads, so a write committed meanwhile may show in a later part and not an earlier one.
    /// </summary>
    public static IReadOnlyList<IntervalRow> Read(
        Func<DbConnection> open,
        string workspace,
        IntervalQuery query,
        CancellationToken cancellationToken
    )
    {
        if (
            !IntervalQuery.IsOnQuarter(query.From)
            || !IntervalQuery.IsOnQuarter(query.To)
            || query.Interval <= TimeSpan.Zero
            || query.Interval.Ticks % Quarter.Ticks != 0
        )
        {
            throw new ArgumentException(
                "A report's times fall on quarter hours and its interval is a whole number of them.",
                nameof(query)
            );
        }
        var intervals =
            (query.To - query.From).Ticks / query.Interval.Ticks + ((query.To - query.From).Ticks % query.Interval.Ticks == 0 ? 0 : 1);
        var parts = query.To - query.From <= TimeSpan.FromDays(1) ? 1 : (int)Math.Min(intervals, Math.Min(Environment.ProcessorCount, 4));
        var results = new List<IntervalRow>[parts];
        try
        {
            Parallel.For(
                0,
                parts,
                new ParallelOptions { CancellationToken = cancellationToken },
                part =>
                {
                    var from = query.From + query.Interval * (intervals * part / parts);
                    var to = part == parts - 1 ? query.To : query.From + query.Interval * (intervals * (part + 1) / parts);
                    using var connection = open();
                    results[part] = ReadPart(connection, workspace, query, from, to);
                }
            );
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return [.. results.SelectMany(r => r)];
    }

    /// <summary>The rows of [<paramref name="from"/>, <paramref name="to"/>), whole intervals of <paramref name="query"/>.</summary>
    private static List<IntervalRow> ReadPart(
        DbConnection connection,
        string workspace,
        IntervalQuery query,
        DateTimeOffset from,
        DateTimeOffset to
    )
    {
        // The rows come in key order, a quarter hour after another; they are added up into intervals here, one
        // interval at a time, rather than by a GROUP BY that would sort them all first.
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT quarter, report_key, {string.Join(", ", Measures)}
            FROM report_quarters
            WHERE workspace = @workspace AND dimension = @dimension AND quarter >= @from AND quarter < @to
            ORDER BY quarter
            """;
        Add(command, "workspace", workspace);
        Add(command, "dimension", Dimension(query.By));
        Add(command, "from", from.UtcTicks);
        Add(command, "to", to.UtcTicks);
        var rows = new List<IntervalRow>();
        var interval = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var bucket = -1L;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var next = (reader.GetInt64(0) - query.From.UtcTicks) / query.Interval.Ticks;
                if (next != bucket)
                {
                    Flush();
                    bucket = next;
                }
                var key = reader.GetString(1);
                if (!interval.TryGetValue(key, out var totals))
                {
                    interval[key] = totals = new long[Measures.Length];
                }
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += reader.GetInt64(2 + i);
                }
            }
        }
        Flush();
        return rows;

        void Flush()
        {
            rows.AddRange(interval.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Row(query, bucket, p.Key, p.Value)));
            interval.Clear();
        }
    }

    private static IntervalRow Row(IntervalQuery query, long bucket, string key, long[] t)
    {
        var start = query.From + query.Interval * bucket;
        var end = start + query.Interval < query.To ? start + query.Interval : query.To;
        var (connected, abandoned, shortAbandoned) = (t[Measure.Connected], t[Measure.Abandoned], t[Measure.ShortAbandoned]);
        var (talks, wrapUps, ratings) = (t[Measure.Talks], t[Measure.WrapUps], t[Measure.Ratings]);
        var selfServiceEnded = t[Measure.Deflected] + t[Measure.Escalated];
        var judged = connected + abandoned - shortAbandoned;
        return new IntervalRow(
            start,
            end,
            key,
            Offered: (int)t[Measure.Offered],
            Connected: (int)connected,
            Abandoned: (int)abandoned,
            ShortAbandoned: (int)shortAbandoned,
            AverageSpeedOfAnswerSeconds: connected == 0 ? null : TimeSpan.FromTicks(t[Measure.AnswerTicks] / connected).TotalSeconds,
            AverageTalkSeconds: talks == 0 ? null : TimeSpan.FromTicks(t[Measure.TalkTicks] / talks).TotalSeconds,
            AverageWrapUpSeconds: wrapUps == 0 ? null : TimeSpan.FromTicks(t[Measure.WrapUpTicks] / wrapUps).TotalSeconds,
            ServiceLevelPercent: judged <= 0 ? null : 100.0 * t[Measure.InTime] / judged,
            Transfers: (int)t[Measure.Transfers],
            CsatAverage: ratings == 0 ? null : (double)t[Measure.RatingSum] / ratings,
            CsatCount: (int)ratings,
            SelfServed: (int)t[Measure.SelfServed],
            Deflected: (int)t[Measure.Deflected],
            Escalated: (int)t[Measure.Escalated],
            AverageSelfServiceSeconds: selfServiceEnded == 0
                ? null
                : TimeSpan.FromTicks(t[Measure.SelfServiceTicks] / selfServiceEnded).TotalSeconds
        );
    }

    /// <summary>
    /// Fills the totals from the timelines already stored — for a ledger written before the totals existed — a
    /// page of conversations at a time, judged against the queues' current targets. Runs inside the caller's
    /// transaction, which holds the schema lock, so it happens once.
    /// </summary>
    public static void Backfill(DbConnection connection, DbTransaction transaction)
    {
        var targets = new Dictionary<(string, string), int>();
        using (var queues = Command(connection, transaction, $"SELECT {LedgerColumns.Queue} FROM queues"))
        using (var reader = queues.ExecuteReader())
        {
            while (reader.Read())
            {
                var queue = LedgerRows.Queue(reader);
                targets[(queue.Workspace, queue.Item.QueueId)] = queue.Item.Definition.ServiceLevel.TargetSeconds;
            }
        }
        var rollup = new ReportRollup(new Targets(targets));
        using var upsert = Command(connection, transaction, Upsert(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        (string Workspace, string Id)? after = null;
        while (true)
        {
            var page = Page(connection, transaction, after);
            if (page.Count == 0)
            {
                return;
            }
            foreach (var (workspace, change) in page)
            {
                rollup.Conversation(workspace, change);
            }
            foreach (var (key, totals) in rollup.Pending)
            {
                upsert.Parameters.Clear();
                var values = Values(key, 0, totals);
                for (var i = 0; i < values.Length; i++)
                {
                    Add(upsert, "p" + i.ToString(CultureInfo.InvariantCulture), values[i]);
                }
                upsert.ExecuteNonQuery();
            }
            rollup.Stored();
            after = (page[^1].Workspace, page[^1].Change.Conversation.ConversationId);
        }
    }

    /// <summary>The next thousand conversations after <paramref name="after"/>, each as one change holding its whole timeline.</summary>
    private static List<(string Workspace, ConversationChange Change)> Page(
        DbConnection connection,
        DbTransaction transaction,
        (string Workspace, string Id)? after
    )
    {
        var where = after is null ? "" : "WHERE (c.workspace, c.id) > (@w, @id)";
        using var command = Command(
            connection,
            transaction,
            $"""
            WITH page AS (
                SELECT c.workspace, c.id, c.state, c.channel, c.queue_id, c.agent_id, c.created_at, c.rating
                FROM conversations c {where}
                ORDER BY c.workspace, c.id
                LIMIT 1000)
            SELECT p.workspace, p.id, p.state, p.channel, p.queue_id, p.agent_id, p.created_at, p.rating,
                   t.state, t.at, t.agent_id, t.queue_id, t.reason -- LedgerColumns.Transition, from column 8
            FROM page p JOIN conversation_transitions t ON t.workspace = p.workspace AND t.conversation_id = p.id
            ORDER BY p.workspace, p.id, t.ordinal
            """
        );
        if (after is { } from)
        {
            Add(command, "w", from.Workspace);
            Add(command, "id", from.Id);
        }
        var page = new List<(string, ConversationChange)>();
        using var row = command.ExecuteReader();
        (string Workspace, ConversationRecord Record, List<ConversationTransition> Timeline)? current = null;
        while (row.Read())
        {
            var (workspace, id) = (row.GetString(0), row.GetString(1));
            if (current is not { } open || open.Workspace != workspace || open.Record.ConversationId != id)
            {
                Flush();
                var record = new ConversationRecord(
                    id,
                    Enum.Parse<ConversationState>(row.GetString(2)),
                    row.GetString(3),
                    row.GetString(4),
                    new Customer(id, null, ""),
                    0,
                    [],
                    new Dictionary<string, string>(),
                    row.IsDBNull(5) ? null : row.GetString(5),
                    new DateTimeOffset(row.GetInt64(6), TimeSpan.Zero),
                    0,
                    [],
                    [],
                    null,
                    null,
                    null,
                    null,
                    row.IsDBNull(7) ? null : row.GetInt32(7),
                    default,
                    [],
                    []
                );
                current = (workspace, record, []);
            }
            current.Value.Timeline.Add(LedgerRows.Transition(row, first: 8));
        }
        Flush();
        return page;

        void Flush()
        {
            if (current is { } done)
            {
                page.Add((done.Workspace, new ConversationChange(done.Record, done.Timeline, [])));
            }
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A backfill replays whole timelines, so it only ever needs the queues' targets.</summary>
    private sealed class Targets(Dictionary<(string, string), int> targets) : IRollupSource
    {
        public ConversationTransition? LastTransition(string workspace, string conversationId) => null;

        public int? StoredRating(string workspace, string conversationId) => null;

        public int? TargetSeconds(string workspace, string queueId) =>
            targets.TryGetValue((workspace, queueId), out var seconds) ? seconds : null;
    }
}
