using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Routing.Tests.Observability;

/// <summary>The operators' files in <c>deploy/</c>: the Grafana dashboard and the Prometheus alert rules.</summary>
public static partial class DeployFiles
{
    /// <summary>Words of PromQL that are not metric names: functions, keywords, and the labels we use.</summary>
    private static readonly HashSet<string> NotMetrics =
    [
        "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "and", "or", "unless", "bool", "offset",
        "rate", "irate", "increase", "delta", "histogram_quantile", "max_over_time", "min_over_time", "group_left", "group_right",
        "workspace", "queue", "channel", "status", "instance", "job", "le", "routing", "up",
    ];

    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "deploy");

    /// <summary>Every metric name an expression in the dashboard or the alert rules uses (histogram series by their base name's series).</summary>
    public static SortedSet<string> MetricNames()
    {
        var expressions = new List<string>();
        using (var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "grafana", "routing.json"))))
        {
            Collect(dashboard.RootElement, expressions);
        }
        expressions.AddRange(File.ReadAllLines(Path.Combine(Directory, "prometheus", "alerts.yml"))
            .SkipWhile(_ => false)
            .Where(l => !l.TrimStart().StartsWith('#'))
            .Aggregate(new List<string>(), (acc, line) =>
            {
                if (line.TrimStart().StartsWith("expr:", StringComparison.Ordinal) || (acc.Count > 0 && line.StartsWith("          ", StringComparison.Ordinal)))
                {
                    acc.Add(line.Replace("expr:", "", StringComparison.Ordinal));
                }
                return acc;
            }));
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
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = Path.Combine(Directory, "prometheus"), RedirectStandardOutput = true, RedirectStandardError = true };
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
            throw new InvalidOperationException("promtool is missing: run the suite with ./test.sh, which installs Debian's prometheus package.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
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

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Routing.sln")))
        {
            root = root.Parent;
        }
        return root?.FullName ?? throw new InvalidOperationException("Routing.sln not found above the test output.");
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\$?[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Word();
}
