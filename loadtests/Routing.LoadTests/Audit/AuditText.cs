using System.Globalization;
using System.Text;

namespace Routing.LoadTests.Audit;

/// <summary>An audit as text: its verdict first, then its counts, then what it found broken.</summary>
public static class AuditText
{
    private static string Answer(KeyValuePair<string, int> count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count.Key} {count.Value:N0}");

    public static string Describe(AuditReport report, string what)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"audit of {what}: {(report.Passed ? "PASSED" : $"FAILED ({report.Violations.Count} violations)")}");
        text.AppendLine(
            c,
            $"- conversations: {report.Conversations:N0} "
                + $"({string.Join(", ", report.ByState.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}"))})"
        );
        if (report.Acknowledged > 0)
        {
            text.AppendLine(
                c,
                $"- acknowledged creates: {report.Acknowledged:N0}, missing from the ledger: {report.MissingAcknowledged.Count:N0}"
            );
        }
        text.AppendLine(
            c,
            $"- offers: {report.Offers:N0} "
                + $"({string.Join(", ", report.OfferAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(Answer))})"
        );
        text.AppendLine(
            c,
            $"- held by two agents or an illegal step: "
                + $"{report.Count(LedgerAudit.HeldByTwo) + report.Count(LedgerAudit.IllegalStep):N0}; over capacity: "
                + $"{report.Count(LedgerAudit.OverCapacity):N0}"
        );
        text.AppendLine(
            c,
            $"- overtaken by a later arrival of the same or lower priority: {report.Overtaken:N0} of {report.OrderedConversations:N0} "
                + $"({report.OvertakenShare:P2})"
        );
        foreach (var v in report.Violations.Take(50))
        {
            text.AppendLine(c, $"- {v.Kind} {v.Subject}: {v.Detail}");
        }
        if (report.Violations.Count > 50)
        {
            text.AppendLine(c, $"- … and {report.Violations.Count - 50} more");
        }
        return text.ToString();
    }
}
