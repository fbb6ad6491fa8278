using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Routing.Client;

/// <summary>
/// What the three hub clients share: the connection with automatic reconnect, a resynchronisation after every
/// (re)connect, and hub errors turned into <see cref="RealtimeException"/>s.
/// </summary>
public abstract class RealtimeConnection : IAsyncDisposable
{
    private readonly IReadOnlyList<TimeSpan> _retryDelays;

    protected RealtimeConnection(RealtimeOptions options, string path, Func<Task<string?>>? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _retryDelays = options.ReconnectDelays;
        Hub = new HubConnectionBuilder()
            .WithUrl(
                new Uri(options.Server, path),
                o =>
                {
                    o.AccessTokenProvider = accessToken ?? options.AccessTokenProvider;
                    if (options.HttpMessageHandler is { } handler)
                    {
                        o.HttpMessageHandlerFactory = _ => handler();
                    }
                    if (options.Transports is { } transports)
                    {
                        o.Transports = transports;
                        // WebSockets alone need no negotiation: one request (and one socket) per connect instead of two.
                        o.SkipNegotiation = transports == HttpTransportType.WebSockets;
                    }
                }
            )
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .WithAutomaticReconnect(new Forever(options.ReconnectDelays))
            .Build();
        Hub.Reconnected += _ => ResyncAfterReconnectAsync();
    }

    /// <summary>The underlying SignalR connection.</summary>
    public HubConnection Hub { get; }

    public HubConnectionState State => Hub.State;

    /// <summary>Raised after each resynchronisation, initial or after a reconnect.</summary>
    public event Action? Resynced;

    /// <summary>
    /// Raised when the snapshot after a reconnect could not be taken (a timeout, a refusal); the client takes it again,
    /// after the reconnect delays, for as long as the connection stays up — a dropped one resynchronises on its next
    /// reconnect.
    /// </summary>
    public event Action<Exception>? ResyncFailed;

    /// <summary>Connects, then takes the snapshot.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Hub.StartAsync(cancellationToken);
        await ResyncAsync();
    }

    /// <summary>Drops the connection and connects again, as a network blip would; the snapshot fills the gap.</summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        await Hub.StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    public Task StopAsync() => Hub.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Takes a fresh snapshot and applies it.</summary>
    public async Task ResyncAsync()
    {
        await ApplySnapshotAsync();
        Resynced?.Invoke();
    }

    protected abstract Task ApplySnapshotAsync();

    /// <summary>
    /// The snapshot after a reconnect, retried until it is taken: a desk left on the state from before the drop would
    /// show offers that are gone and miss ones made meanwhile.
    /// </summary>
    private async Task ResyncAfterReconnectAsync()
    {
        for (var attempt = 0; Hub.State == HubConnectionState.Connected; attempt++)
        {
            try
            {
                await ApplySnapshotAsync();
            }
            catch (Exception e)
            {
                ResyncFailed?.Invoke(e);
                await Task.Delay(Forever.Delay(_retryDelays, attempt));
                continue;
            }
            Resynced?.Invoke(); // outside the retry: a handler that throws does not take the snapshot again
            return;
        }
    }

    protected async Task<T> Call<T>(string method, params object?[] args)
    {
        try
        {
            return await Hub.InvokeCoreAsync<T>(method, args);
        }
        catch (HubException e)
        {
            throw RealtimeException.From(e);
        }
    }

    private sealed class Forever(IReadOnlyList<TimeSpan> delays) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(delays, retryContext.PreviousRetryCount);

        public static TimeSpan Delay(IReadOnlyList<TimeSpan> delays, long attempt) =>
            delays.Count == 0 ? TimeSpan.FromSeconds(10) : delays[(int)Math.Min(attempt, delays.Count - 1)];
    }
}
