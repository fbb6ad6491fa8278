using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Observability;

/// <summary>The operators' files in <c>deploy/</c>: the Grafana dashboard and the Prometheus alert rules.</summary>
public static partial class DeployFiles
{
    /// <summary>Words of PromQL that are not metric names: functions, keywords, and the labels we use.</summary>
    private static readonly HashSet<string> NotMetrics =
    [
        "sum",
        "max",
        "min",
        "avg",
        "count",
        "by",
        "without",
        "on",
        "ignoring",
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "rate",
        "irate",
        "increase",
        "delta",
        "histogram_quantile",
        "max_over_time",
        "min_over_time",
        "group_left",
        "group_right",
        "workspace",
        "queue",
        "channel",
        "status",
        "instance",
        "job",
        "le",
        "up",
    ];

    public static string Directory { get; } = Path.Combine(Repository.Root, "deploy");

    /// <summary>Every metric name an expression in the dashboard or the alert rules uses (histogram series by their base name's
    /// series).</summary>
    public static SortedSet<string> MetricNames()
    {
        var expressions = new List<string>();
        using (var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "grafana", "routing.json"))))
        {
            Collect(dashboard.RootElement, expressions);
        }
        expressions.AddRange(AlertExpressions(File.ReadAllLines(Path.Combine(Directory, "prometheus", "alerts.yml"))));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            var withoutStrings = Quoted().Replace(expression, "");
            foreach (Match m in Word().Matches(withoutStrings))
            {
                if (!NotMetrics.Contains(m.Value) && !m.Value.StartsWith('$') && m.Value.Contains('_', StringComparison.Ordinal))
                {
                    names.Add(m.Value);
                }
            }
        }
        return names;
    }

    /// <summary>Runs promtool (Debian's prometheus package, installed by ./test.sh) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Promtool(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool")
        {
            WorkingDirectory = Path.Combine(Directory, "prometheus"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "promtool is missing: run the suite with ./test.sh, which installs Debian's prometheus package.",
                e
            );
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }

    /// <summary>Each rule's <c>expr:</c> — on its line, or as the block below it (the lines indented deeper).</summary>
    private static IEnumerable<string> AlertExpressions(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].TrimStart();
            if (!text.StartsWith("expr:", StringComparison.Ordinal))
            {
                continue;
            }
            var indent = lines[i].Length - text.Length;
            var expression = new StringBuilder(text["expr:".Length..].Trim().TrimStart('|'));
            while (i + 1 < lines.Length && lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent)
            {
                expression.Append(' ').Append(lines[++i].Trim());
            }
            yield return expression.ToString();
        }
    }

    private static void Collect(JsonElement element, List<string> expressions)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        expressions.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, expressions);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, expressions);
                }
                break;
        }
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\$?[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Word();
}
