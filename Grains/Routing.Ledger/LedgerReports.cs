using System.Data.Common;
using System.Globalization;
using System.Text;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// Interval reports, computed in the database from the conversations' timelines — the same SQL on SQLite and
/// PostgreSQL (window functions, integer ticks, named parameters). Each transition counts in the interval it
/// happened in: a talk ends with the wrap-up that follows its connection, a wrap-up with the completion.
/// </summary>
internal static class LedgerReports
{
    /// <summary>An abandon within this long is a short one (the customer barely waited): not held against the service level.</summary>
    public static readonly TimeSpan ShortAbandon = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<IntervalRow> Read(DbConnection connection, string workspace, IntervalQuery query, IReadOnlyDictionary<string, int> targetSeconds, int defaultTargetSeconds)
    {
        using var command = connection.CreateCommand();
        var targets = new StringBuilder("CASE t.queue_id");
        var i = 0;
        foreach (var (queueId, seconds) in targetSeconds)
        {
            targets.Append(CultureInfo.InvariantCulture, $" WHEN @q{i} THEN @t{i}");
            Add(command, $"q{i}", queueId);
            Add(command, $"t{i}", TimeSpan.FromSeconds(seconds).Ticks);
            i++;
        }
        targets.Append(" ELSE @tdefault END");
        Add(command, "tdefault", TimeSpan.FromSeconds(defaultTargetSeconds).Ticks);
        var key = query.By switch
        {
            ReportBy.Agent => "t.agent_id",
            ReportBy.Channel => "c.channel",
            _ => "t.queue_id",
        };
        command.CommandText = $"""
            WITH t AS (
                SELECT conversation_id, state, at, agent_id, queue_id, reason,
                       LAG(state) OVER w AS prev_state, LAG(at) OVER w AS prev_at, FIRST_VALUE(at) OVER w AS created_at
                FROM conversation_transitions
                WHERE workspace = @workspace
                WINDOW w AS (PARTITION BY conversation_id ORDER BY ordinal))
            SELECT (t.at - @from) / @interval AS bucket, {key} AS report_key,
                SUM(CASE WHEN t.state = 'Created' THEN 1 ELSE 0 END) AS offered,
                SUM(CASE WHEN t.state = 'Connected' THEN 1 ELSE 0 END) AS connected,
                SUM(CASE WHEN t.state = 'Connected' THEN t.at - t.created_at ELSE 0 END) AS answer_ticks,
                SUM(CASE WHEN t.state = 'Connected' AND t.at - t.created_at <= {targets} THEN 1 ELSE 0 END) AS in_time,
                SUM(CASE WHEN t.state = 'Abandoned' THEN 1 ELSE 0 END) AS abandoned,
                SUM(CASE WHEN t.state = 'Abandoned' AND t.at - t.created_at < @short THEN 1 ELSE 0 END) AS short_abandoned,
                SUM(CASE WHEN t.state = 'WrapUp' AND t.prev_state = 'Connected' THEN 1 ELSE 0 END) AS talks,
                SUM(CASE WHEN t.state = 'WrapUp' AND t.prev_state = 'Connected' THEN t.at - t.prev_at ELSE 0 END) AS talk_ticks,
                SUM(CASE WHEN t.state = 'Completed' AND t.prev_state = 'WrapUp' THEN 1 ELSE 0 END) AS wrap_ups,
                SUM(CASE WHEN t.state = 'Completed' AND t.prev_state = 'WrapUp' THEN t.at - t.prev_at ELSE 0 END) AS wrap_up_ticks,
                SUM(CASE WHEN t.reason = 'transferred' THEN 1 ELSE 0 END) AS transfers,
                SUM(CASE WHEN t.state = 'Completed' AND c.rating IS NOT NULL THEN c.rating ELSE 0 END) AS rating_sum,
                SUM(CASE WHEN t.state = 'Completed' AND c.rating IS NOT NULL THEN 1 ELSE 0 END) AS ratings
            FROM t JOIN conversations c ON c.workspace = @workspace AND c.id = t.conversation_id
            WHERE t.at >= @from AND t.at < @to AND {key} IS NOT NULL
            GROUP BY bucket, report_key
            ORDER BY bucket, report_key
            """;
        Add(command, "workspace", workspace);
        Add(command, "from", query.From.UtcTicks);
        Add(command, "to", query.To.UtcTicks);
        Add(command, "interval", query.Interval.Ticks);
        Add(command, "short", ShortAbandon.Ticks);
        var rows = new List<IntervalRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            long N(string column) => reader[column] is DBNull or null ? 0 : Convert.ToInt64(reader[column], CultureInfo.InvariantCulture);
            var start = query.From + query.Interval * N("bucket");
            var end = start + query.Interval < query.To ? start + query.Interval : query.To;
            var (connected, abandoned, shortAbandoned) = (N("connected"), N("abandoned"), N("short_abandoned"));
            var (talks, wrapUps, ratings) = (N("talks"), N("wrap_ups"), N("ratings"));
            var judged = connected + abandoned - shortAbandoned;
            rows.Add(new IntervalRow(start, end, (string)reader["report_key"],
                Offered: (int)N("offered"),
                Connected: (int)connected,
                Abandoned: (int)abandoned,
                ShortAbandoned: (int)shortAbandoned,
                AverageSpeedOfAnswerSeconds: connected == 0 ? null : TimeSpan.FromTicks(N("answer_ticks") / connected).TotalSeconds,
                AverageTalkSeconds: talks == 0 ? null : TimeSpan.FromTicks(N("talk_ticks") / talks).TotalSeconds,
                AverageWrapUpSeconds: wrapUps == 0 ? null : TimeSpan.FromTicks(N("wrap_up_ticks") / wrapUps).TotalSeconds,
                ServiceLevelPercent: judged <= 0 ? null : 100.0 * N("in_time") / judged,
                Transfers: (int)N("transfers"),
                CsatAverage: ratings == 0 ? null : (double)N("rating_sum") / ratings,
                CsatCount: (int)ratings));
        }
        return rows;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
