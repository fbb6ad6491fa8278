using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Routing.LoadTests.Targets;

/// <summary>For an end-to-end run without <c>--server</c>: the real server started as its own process, on a fresh data directory.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _data;

    private ServerProcess(Process process, Uri address, string data)
    {
        Process = process;
        Address = address;
        _data = data;
    }

    public Process Process { get; }

    public Uri Address { get; }

    public static async Task<ServerProcess> StartAsync(TextWriter log)
    {
        var dll = FindServer();
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "routing-load-server-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Routing__DataDirectory"] = data,
                ["Routing__Cluster__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Routing__Cluster__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            },
        };
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), new Uri($"http://127.0.0.1:{port}"), data);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        server.Process.ErrorDataReceived += (_, e) => { };
        server.Process.BeginOutputReadLine();
        server.Process.BeginErrorReadLine();
        if (await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(60))) != listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("The server did not start listening within 60 s.");
        }
        await log.WriteLineAsync($"started the server ({dll}) on {server.Address}, pid {server.Process.Id}");
        return server;

        string FindServer()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Routing.sln")))
            {
                root = root.Parent;
            }
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(root?.FullName ?? ".", "Silo", "Routing.Silo", "bin", configuration, "net10.0", "Routing.Silo.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new FileNotFoundException("Build the server first: dotnet build -c Release");
        }
    }

    /// <summary>A loopback TCP port nothing listens on right now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
