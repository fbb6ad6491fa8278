using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.LoadTests.Reports;

/// <summary>
/// <c>--mode report</c>: a month of a busy center — by default 1,000,000 conversations over 30 days in 8 queues,
/// 400 agents, two channels; nine in ten answered, one in ten abandoned, three in ten rated — written through the
/// ledger's own API into a fresh SQLite ledger (and, with <c>--postgres</c>, a fresh PostgreSQL database), then the
/// month's 15-minute interval report by queue, agent and channel, and by agent in days, timed.
/// </summary>
public static class ReportBenchmark
{
    private const string Workspace = "bench";
    private static readonly DateTimeOffset Month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var count = options.Conversations ?? 1_000_000;
        var directory = Path.Combine(Path.GetTempPath(), "routing-report-bench-" + Guid.NewGuid().ToString("N"));
        var sqlite = new SqliteLedger(Options.Create(new LedgerOptions { DataDirectory = directory }), NullLogger<SqliteLedger>.Instance);
        try
        {
            await MeasureAsync("SQLite", sqlite, count, cancellationToken);
        }
        finally
        {
            await sqlite.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
        if (options.Postgres is { } server)
        {
            var database = "routing_report_bench_" + Guid.NewGuid().ToString("N")[..8];
            await AdminAsync(server, $"CREATE DATABASE {database}", cancellationToken);
            var builder = new NpgsqlConnectionStringBuilder(server) { Database = database };
            var postgres = new PostgresLedger(builder.ConnectionString, 500, NullLogger<PostgresLedger>.Instance);
            try
            {
                await MeasureAsync("PostgreSQL", postgres, count, cancellationToken);
            }
            finally
            {
                await postgres.DisposeAsync();
                NpgsqlConnection.ClearAllPools();
                await AdminAsync(server, $"DROP DATABASE {database}", cancellationToken);
            }
        }
        return 0;
    }

    private static async Task MeasureAsync(string name, ILedger ledger, int count, CancellationToken cancellationToken)
    {
        await ledger.InitializeAsync(cancellationToken);
        for (var q = 0; q < 8; q++)
        {
            await ledger.SaveQueueAsync(
                Workspace,
                new QueueInfo(
                    $"q{q}",
                    new QueueDefinition(
                        $"Queue {q}",
                        new ServiceLevelGoal(20, 80),
                        QueueDefinition.DefaultSelection,
                        0,
                        new Dictionary<string, int>(),
                        30,
                        null,
                        null
                    ),
                    Month
                ),
                cancellationToken
            );
        }
        var written = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = cancellationToken },
            async (n, ct) => await ledger.SaveConversationAsync(Workspace, Conversation(n, count), ct)
        );
        Console.WriteLine($"{name}: {count:N0} conversations written in {written.Elapsed.TotalSeconds:0.0} s");
        var quarter = TimeSpan.FromMinutes(15);
        foreach (
            var (by, interval) in new[]
            {
                (ReportBy.Queue, quarter),
                (ReportBy.Agent, quarter),
                (ReportBy.Channel, quarter),
                (ReportBy.Agent, TimeSpan.FromDays(1)),
            }
        )
        {
            var query = new IntervalQuery(Month, Month.AddDays(30), interval, by);
            var times = new List<double>();
            IReadOnlyList<IntervalRow> rows = [];
            for (var run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                rows = await ledger.ReportIntervalsAsync(Workspace, query, cancellationToken);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            var step = interval == quarter ? "15-minute" : "1-day";
            Console.WriteLine(
                $"{name}: a month by {by.ToString().ToLowerInvariant()} in {step} intervals: {rows.Count:N0} rows, "
                    + $"{rows.Sum(r => r.Offered):N0} offered, in "
                    + $"{string.Join(" / ", times.Select(t => t.ToString("0.00 s", System.Globalization.CultureInfo.InvariantCulture)))}"
            );
        }
    }

    /// <summary>One conversation of the month: spread evenly, waits of 0–59 s, talks of 1–10 min, wrap-ups of 0–59 s.</summary>
    private static ConversationChange Conversation(int n, int count)
    {
        var created = Month.AddSeconds(30.0 * 24 * 3600 * n / count);
        var queue = $"q{n % 8}";
        var agent = $"a{n % 400}";
        var channel = n % 3 == 0 ? "email" : "chat";
        var wait = TimeSpan.FromSeconds(n % 60);
        var abandoned = n % 10 == 0;
        var timeline = new List<ConversationTransition>
        {
            new(ConversationState.Created, created, null, queue, "standard"),
            new(ConversationState.Queued, created, null, queue, null),
        };
        DateTimeOffset? connected = null,
            ended;
        if (abandoned)
        {
            ended = created + wait;
            timeline.Add(new(ConversationState.Abandoned, ended.Value, null, queue, null));
        }
        else
        {
            connected = created + wait;
            var wrapUp = connected.Value + TimeSpan.FromMinutes(1 + n % 10);
            ended = wrapUp + TimeSpan.FromSeconds(n % 60);
            timeline.Add(new(ConversationState.Offered, connected.Value, agent, queue, null));
            timeline.Add(new(ConversationState.Connected, connected.Value, agent, queue, null));
            timeline.Add(new(ConversationState.WrapUp, wrapUp, agent, queue, null));
            timeline.Add(new(ConversationState.Completed, ended.Value, agent, queue, null));
        }
        var record = new ConversationRecord(
            $"c{n}",
            abandoned ? ConversationState.Abandoned : ConversationState.Completed,
            channel,
            queue,
            new Customer($"customer-{n}", null, "standard"),
            10,
            [],
            new Dictionary<string, string>(),
            abandoned ? null : agent,
            created,
            n,
            [],
            [],
            connected,
            abandoned ? null : ended,
            ended,
            abandoned ? null : "done",
            !abandoned && n % 10 < 3 ? 1 + n % 5 : null,
            ended.Value,
            [],
            []
        );
        return new ConversationChange(record, timeline, []);
    }

    private static async Task AdminAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
