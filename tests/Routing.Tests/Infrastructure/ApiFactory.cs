using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Client;
using Routing.Grains;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// The real silo host (Program) in memory: the API, a real co-hosted silo on ports of its own and the SQLite
/// ledger in a temporary directory. Events are recorded so tests can wait for them.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "routing-api-" + Guid.NewGuid().ToString("N"));

    public RecordingEventSink Events { get; } = new();

    /// <summary>Every log record the host writes.</summary>
    public LogCapture Logs { get; } = new();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Configuration settings of the host, on top of its own.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Changes to the host's services, made after the host's own (a test's stand-ins win).</summary>
    public Action<IServiceCollection>? WithServices { get; init; }

    /// <summary>The host's environment; Development (WebApplicationFactory's default) when null.</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>Whether the host gets <see cref="TestTokens.Key"/> as its signing key (without one, only Development starts).</summary>
    public bool WithSigningKey { get; init; } = true;

    /// <summary>When set, routing time is this fake clock's (Orleans keeps real time).</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider? Time { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Routing:DataDirectory", _dataDirectory);
        foreach (var (key, value) in TestTokens.HostSettings(WithSigningKey))
        {
            builder.UseSetting(key, value);
        }
        if (EnvironmentName is not null)
        {
            builder.UseEnvironment(EnvironmentName);
        }
        builder.UseSetting("Routing:Cluster:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Routing:Cluster:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IRoutingEventSink>(Events);
            if (Time is not null)
            {
                services.AddSingleton(new RoutingClock(Time));
            }
            WithServices?.Invoke(services);
        });
    }

    /// <summary>Clients from <c>CreateClient</c> are an admin of workspace <c>default</c> unless a test sets another credential.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken(TestTokens.Admin);
    }

    /// <summary>How a realtime client reaches the hubs (long polling over the in-memory server), as an admin unless told
    /// otherwise.</summary>
    public RealtimeOptions Realtime(Func<Task<string?>>? token = null) =>
        new()
        {
            Server = Server.BaseAddress,
            HttpMessageHandler = Server.CreateHandler,
            Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling,
            AccessTokenProvider = token ?? TestTokens.AdminProvider,
        };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

public static class HttpJson
{
    public static Task<HttpResponseMessage> Put(this HttpClient http, string url, object body) =>
        http.PutAsJsonAsync(url, body, ApiFactory.Json);

    public static Task<HttpResponseMessage> Post(this HttpClient http, string url, object? body = null) =>
        body is null ? http.PostAsync(url, null) : http.PostAsJsonAsync(url, body, ApiFactory.Json);

    public static async Task<JsonElement> Body(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
