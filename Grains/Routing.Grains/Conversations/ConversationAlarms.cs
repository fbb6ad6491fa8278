using Microsoft.Extensions.Logging;

namespace Routing.Grains.Conversations;

/// <summary>
/// A conversation's two clocks (docs/conversations.md, "Offers" and "Completion and wrap-up"): the offer's timeout and the
/// end of the wrap-up. Each calls the grain back through <paramref name="self"/>, an ordinary call that takes its turn, with
/// the token it was set under; a token no longer current is an alarm answered, withdrawn or superseded since.
/// </summary>
internal sealed class ConversationAlarms(IConversationCallbacks self, RoutingClock clock, ILogger logger) : IDisposable
{
    /// <summary>How soon an offer's timeout that could not be written is tried again.</summary>
    private static readonly TimeSpan OfferExpiryRetry = TimeSpan.FromSeconds(5);

    private readonly GrainAlarm _offer = new(clock, logger);
    private readonly GrainAlarm _wrapUp = new(clock, logger);

    /// <summary>Starts the offer's clock, replacing any other offer's.</summary>
    public void Offer(DateTimeOffset expiresAt) => _offer.Set(expiresAt, self.OfferExpiredAsync);

    /// <summary>
    /// The offer's timeout was not written (the ledger failed): the offer stands as it was, and nothing else would end it,
    /// so its end is tried again shortly (docs/reliability.md, R5).
    /// </summary>
    public void RetryOfferExpiry() => _offer.Set(clock.UtcNow + OfferExpiryRetry, self.OfferExpiredAsync);

    /// <summary>The offer is answered or gone: its clock stops.</summary>
    public void OfferEnded() => _offer.Cancel();

    /// <summary>Whether <paramref name="token"/> is the offer's clock now running.</summary>
    public bool IsOffer(long token) => token == _offer.Token;

    /// <summary>Starts the wrap-up's clock.</summary>
    public void WrapUp(DateTimeOffset endsAt) => _wrapUp.Set(endsAt, self.WrapUpEndedAsync);

    /// <summary>Whether <paramref name="token"/> is the wrap-up's clock now running.</summary>
    public bool IsWrapUp(long token) => token == _wrapUp.Token;

    public void Dispose()
    {
        _offer.Dispose();
        _wrapUp.Dispose();
    }
}
