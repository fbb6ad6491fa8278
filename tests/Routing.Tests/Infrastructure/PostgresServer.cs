using System.Diagnostics;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own, made by <c>scripts/postgres.sh</c> in a temporary directory, so the test can
/// take it away (<see cref="HaltAsync"/>) and bring it back on the same data and port (<see cref="RestartAsync"/>)
/// without disturbing the server the rest of the suite shares.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory;

    private PostgresServer(string directory, string connectionString)
    {
        _directory = directory;
        ConnectionString = connectionString;
    }

    /// <summary>The Npgsql connection string of the server's database <c>routing</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        // Under the temporary directory: as root, the script runs the server as the "postgres" user, who must reach it.
        var directory = Path.Combine(Path.GetTempPath(), "routing-test-pg-" + Guid.NewGuid().ToString("N")[..12]);
        return new PostgresServer(directory, await ScriptAsync("start", directory));
    }

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>): open connections break.</summary>
    public Task HaltAsync() => ScriptAsync("halt", _directory);

    /// <summary>Starts the halted server again on its data and port; returns once it takes connections.</summary>
    public async Task RestartAsync()
    {
        var connectionString = await ScriptAsync("start", _directory);
        if (connectionString != ConnectionString)
        {
            throw new InvalidOperationException(
                $"The server came back as {connectionString}, not {ConnectionString}: its port was taken meanwhile."
            );
        }
    }

    public async ValueTask DisposeAsync() => await ScriptAsync("stop", _directory);

    private static async Task<string> ScriptAsync(string command, string directory)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(Repository.Root, "scripts", "postgres.sh"), command, directory })
        {
            start.ArgumentList.Add(argument);
        }
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} failed ({script.ExitCode}):\n{await errors}");
        }
        return (await output).Trim();
    }
}
