using CsCheck;
using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Policy;

namespace Routing.Tests.Routing;

/// <summary>
/// The queue's indexes give what scanning everything gives: the line per channel merges back into the line, and
/// the ready agents per channel come in selection order, whatever happened to the entries and agents before.
/// </summary>
public sealed class MatchingIndexProperties
{
    private static readonly string[] Channels = ["chat", "social", "email"];
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLineOnSomeChannelsIsTheLineFilteredToThem()
    {
        // ops: (conversation index, what to do: 0 put, 1 remove, 2 offer, 3 return to line), then the channels with room
        var gen = Gen.Select(Gen.Select(Gen.Int[0, 29], Gen.Int[0, 3]).Array[1, 120], Gen.Bool.Array[Channels.Length], Gen.Int[0, 2]);
        gen.Sample(
            (ops, room, aging) =>
            {
                var order = new PriorityOrder(aging);
                var line = new QueueLine(order);
                foreach (var (n, op) in ops)
                {
                    var id = $"c{n}";
                    switch (op)
                    {
                        case 0:
                            line.Put(Entry(n));
                            break;
                        case 1:
                            line.Remove(id);
                            break;
                        case 2 when line.TryGet(id, out var entry) && !entry.Offering:
                            line.MarkOffering(entry);
                            break;
                        case 3 when line.TryGet(id, out var entry) && entry.Offering:
                            line.ReturnToLine(entry);
                            break;
                    }
                }
                bool HasRoom(string channel) => room[Array.IndexOf(Channels, channel)];
                var expected = line.InOrder.Where(c => HasRoom(c.Channel)).Select(c => c.Id).ToList();
                Assert.Equal(expected, line.InOrderOn(HasRoom).Select(c => c.Id).ToList());
            },
            iter: 500
        );
    }

    [Theory]
    [InlineData(SelectionMethod.LongestIdle)]
    [InlineData(SelectionMethod.LeastOccupied)]
    [InlineData(SelectionMethod.MostSkilled)]
    [InlineData(SelectionMethod.RoundRobin)]
    public void TheReadyAgentsOfAChannelComeInSelectionOrder(SelectionMethod method)
    {
        // ops: (agent index, what to do: 0 report, 1 start an attempt on a channel, 2 settle it, 3 the matcher takes a slot), a channel, a
        // load
        var gen = Gen.Select(Gen.Select(Gen.Int[0, 19], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 3]).Array[1, 150], Gen.Int[0, 2]);
        gen.Sample(
            (ops, asked) =>
            {
                var mirror = new AgentMirror();
                mirror.KeepInOrder(method);
                var skills = new SkillPlan([new SkillStep(new Dictionary<string, int> { ["returns"] = 2 }, TimeSpan.FromSeconds(5))]);
                var version = 0;
                foreach (var (n, op, c, load) in ops)
                {
                    var id = $"a{n:00}";
                    var channel = Channels[c];
                    switch (op)
                    {
                        case 0:
                            mirror.Apply("q", Report(id, ++version, n, load, channel), out _);
                            break;
                        case 1:
                            mirror.AttemptStarted(id, channel);
                            break;
                        case 2:
                            mirror.AttemptSettled("q", id, channel, null);
                            break;
                        case 3 when mirror.TryGet(id, out var candidate) && candidate.HasRoomFor(channel):
                            candidate.Take(channel);
                            mirror.Refresh(candidate);
                            break;
                    }
                    _ = mirror.ReadyInOrderFor(Channels[asked], skills)?.Count(); // indexes built part-way must be kept up too
                }
                var expected = mirror
                    .Ready.Where(a => a.HasRoomFor(Channels[asked]))
                    .Order(Matcher.SelectionOrder(method, skills.Skills))
                    .Select(a => a.Id)
                    .ToList();
                Assert.Equal(expected, mirror.ReadyInOrderFor(Channels[asked], skills)!.Select(a => a.Id).ToList());
            },
            iter: 300
        );
    }

    private static QueueEntry Entry(int n)
    {
        var waiting = new WaitingConversation(
            $"c{n}",
            "q",
            Channels[n % Channels.Length],
            n % 4 * 10,
            T0.AddSeconds(-(n * 7 % 13)),
            n,
            SkillPlan.None
        );
        var ticket = new QueueTicket(waiting.Id, "q", waiting.Channel, waiting.Priority, waiting.WaitingSince, n, [], []);
        return new QueueEntry(ticket, waiting, n);
    }

    private static AgentAvailability Report(string id, int version, int n, int load, string channel) =>
        new(
            id,
            version,
            n % 5 == 0 ? AgentStatus.Away : AgentStatus.Available,
            new Dictionary<string, int> { ["returns"] = 1 + n % 5 },
            new Dictionary<string, int>
            {
                ["chat"] = 3,
                ["social"] = 2,
                ["email"] = 1,
            },
            null,
            new Dictionary<string, int> { ["q"] = 1 },
            new Dictionary<string, int> { [channel] = Math.Min(load, 3) },
            T0.AddSeconds(-(n * 11 % 17))
        );
}
