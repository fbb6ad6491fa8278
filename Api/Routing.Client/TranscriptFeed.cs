using Routing.Contracts;

namespace Routing.Client;

/// <summary>
/// One conversation's transcript as a client sees it: in sequence order, each message once, whatever order
/// pushes and snapshots arrive in. A message that arrives ahead of a gap waits until the gap is filled.
/// </summary>
public sealed class TranscriptFeed
{
    private readonly List<TranscriptMessage> _messages = [];
    private readonly SortedDictionary<long, TranscriptMessage> _early = [];

    public IReadOnlyList<TranscriptMessage> Messages => _messages;

    /// <summary>The sequence of the last message delivered in order.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Whether a message is waiting for an earlier one that has not arrived.</summary>
    public bool HasGap => _early.Count > 0;

    /// <summary>Takes a message (pushed or from a snapshot) and returns those now deliverable, in order.</summary>
    public IReadOnlyList<TranscriptMessage> Add(TranscriptMessage message)
    {
        if (message.Sequence <= LastSequence)
        {
            return [];
        }
        _early[message.Sequence] = message;
        var delivered = new List<TranscriptMessage>();
        while (_early.Remove(LastSequence + 1, out var next))
        {
            _messages.Add(next);
            delivered.Add(next);
            LastSequence = next.Sequence;
        }
        return delivered;
    }
}
