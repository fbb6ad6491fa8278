using CsCheck;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Grains.Agents;
using Routing.Ledger;
using Routing.Policy;

namespace Routing.Tests.Agents;

/// <summary>
/// The agent's slot book, without a silo (docs/conversations.md, "Offers"): whatever happens in whatever order —
/// offers reserved, accepted, confirmed, declined, timed out, withdrawn, conversations ended, time passing — an offer or
/// a fresh accept never takes a slot the agent does not have, a conversation is never both offered and held, and what
/// the desks are told is what the book holds.
/// </summary>
public sealed class SlotBookProperties
{
    private static readonly string[] Channels = ["chat", "email", "voice"];
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private enum Op
    {
        Reserve,
        Accept,
        Confirm,
        EndOffer,
        Release,
        WrapUp,
        Withdraw,
        Tick,
        Check,
    }

    private static readonly Gen<(Op Op, int Conversation, int Channel, int Seconds)> Step = Gen.Select(
        Gen.Enum<Op>(),
        Gen.Int[0, 11],
        Gen.Int[0, Channels.Length - 1],
        Gen.Int[0, 25]
    );

    private static readonly Gen<AgentCapacity> Capacities = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 6])
        .Select(
            (chat, email, voice, total) =>
                new AgentCapacity(
                    new Dictionary<string, int>
                    {
                        ["chat"] = chat,
                        ["email"] = email,
                        ["voice"] = voice,
                    },
                    total < 5 ? total : null
                )
        );

    [Fact]
    public void NoSequenceOfEventsMakesAnOfferOrAFreshAcceptTakeASlotTheAgentDoesNotHave() =>
        Gen.Select(Capacities, Step.Array[1, 150], Gen.Bool)
            .Sample(
                (capacity, steps, available) =>
                {
                    var book = new SlotBook { Capacity = capacity };
                    var now = T0;
                    foreach (var (op, n, c, seconds) in steps)
                    {
                        var id = $"c{n}";
                        var channel = Channels[c];
                        var before = book.InUse(now);
                        var roomBefore = book.HasRoomFor(channel, now);
                        switch (op)
                        {
                            case Op.Reserve:
                                var offered = book.HasOffer(id);
                                var withdrawn = book.IsWithdrawn(id); // its own slot, taken again
                                var refusal = book.Reserve(new ReserveSlot(id, channel, "q", now.AddSeconds(15), Notice(id, channel)), now);
                                if (refusal is null && !offered && !withdrawn)
                                {
                                    Assert.True(roomBefore, $"{id} reserved on {channel} without room");
                                }
                                Assert.True(refusal is not null || book.HasOffer(id));
                                break;
                            case Op.Accept:
                                var hadOffer = book.HasOffer(id);
                                var hadWithdrawn = book.IsWithdrawn(id);
                                var accepted = book.Accept(id, channel, "q", available, now);
                                if (accepted == SlotBook.Acceptance.TookFreshSlot)
                                {
                                    Assert.False(hadOffer);
                                    Assert.True(
                                        available && (roomBefore || hadWithdrawn),
                                        $"{id} took a fresh slot on {channel} without room or while away"
                                    );
                                }
                                if (accepted == SlotBook.Acceptance.TookOffer)
                                {
                                    Assert.True(hadOffer);
                                    Assert.Equal(before.Values.Sum(), book.InUse(now).Values.Sum()); // the offer's slot, not another
                                }
                                break;
                            case Op.Confirm when book.Holds(id): // the conversation confirms what the agent accepted
                                Assert.Equal((false, false), book.Confirmed(id, channel, "q", now));
                                Assert.False(book.IsUnconfirmed(id));
                                break;
                            case Op.EndOffer:
                                book.EndOffer(id);
                                Assert.False(book.HasOffer(id));
                                break;
                            case Op.Release:
                                book.Release(id);
                                Assert.False(book.HasOffer(id) || book.Holds(id));
                                break;
                            case Op.WrapUp:
                                Assert.Equal(book.Holds(id), book.BeginWrapUp(id, now));
                                break;
                            case Op.Withdraw:
                                var pending = book.Offers.Select(o => o.ConversationId).ToList();
                                book.WithdrawOffers();
                                Assert.Empty(book.Offers);
                                Assert.Equal(before, book.InUse(now)); // withdrawn, not yet freed
                                Assert.All(pending, p => Assert.True(book.IsWithdrawn(p)));
                                break;
                            case Op.Tick:
                                now = now.AddSeconds(seconds);
                                break;
                            case Op.Check:
                                foreach (var due in book.DueForCheck(now))
                                {
                                    var number = book.StartCheck(due, now);
                                    Assert.Null(book.Answered(due, number - 1)); // an earlier question's answer is stale
                                    Assert.NotNull(book.Answered(due, number));
                                    Assert.False(book.IsUnconfirmed(due));
                                }
                                break;
                        }
                        Assert.False(
                            book.Offers.Count > 0 && book.IsOverCapacity(now),
                            "pending offers beside more than the agent can hold"
                        );
                        Assert.Empty(book.Offers.Select(o => o.ConversationId).Intersect(book.Assignments.Select(a => a.ConversationId)));
                        Assert.DoesNotContain(book.Offers.Concat<object>(book.Assignments), o => IsWithdrawn(book, o));
                        Assert.All(
                            book.Notices,
                            notice =>
                                Assert.True(book.HasOffer(notice.ConversationId), $"told of {notice.ConversationId}, which is not on offer")
                        );
                        Assert.Equal(
                            book.Assignments.Where(a => !book.IsUnconfirmed(a.ConversationId)).Select(a => a.ConversationId).Order(),
                            book.Announced.Select(a => a.ConversationId).Order()
                        );
                    }
                },
                iter: 2000
            );

    [Fact]
    public void AnUnansweredOfferHoldsItsSlotUntilItsDeadlineAndTheGraceAfterIt() =>
        Gen.Int[0, 120]
            .Sample(seconds =>
            {
                var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
                var deadline = T0.AddSeconds(15);
                Assert.Null(book.Reserve(new ReserveSlot("c1", "chat", "q", deadline), T0));
                var at = T0.AddSeconds(seconds);
                Assert.Equal(at <= deadline + SlotBook.OfferGrace, !book.HasRoomFor("chat", at));
            });

    /// <summary>
    /// An accept the conversation could not write (the ledger refused it, and it released the slot as <c>write-failed</c>)
    /// leaves the conversation offered to the agent, on record and in memory, until the offer's deadline. The offer keeps
    /// its slot meanwhile — else the agent takes another conversation into it while the ledger still shows the first
    /// offered, and holds more than its capacity (FrozenSiloTests' auditor failure) — and a retried accept takes it.
    /// </summary>
    [Fact]
    public void AnAcceptTheConversationCouldNotWriteLeavesTheOfferHoldingItsSlotUntilItsDeadline() =>
        Gen.Int[1, 40]
            .Sample(seconds =>
            {
                var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
                var deadline = T0.AddSeconds(15);
                Assert.Null(book.Reserve(new ReserveSlot("c1", "chat", "q", deadline), T0));
                Assert.Equal(SlotBook.Acceptance.TookOffer, book.Accept("c1", "chat", "q", available: true, T0.AddSeconds(1)));

                Assert.True(book.AcceptNotWritten("c1"));

                var at = T0.AddSeconds(1 + seconds);
                var offered = at <= deadline + SlotBook.OfferGrace;
                Assert.Equal(offered, !book.HasRoomFor("chat", at));
                Assert.Equal(offered ? "no-room" : null, book.Reserve(new ReserveSlot("c2", "chat", "q", at.AddSeconds(15)), at));
                if (offered)
                {
                    Assert.Equal(SlotBook.Acceptance.TookOffer, book.Accept("c1", "chat", "q", available: true, at));
                }
            });

    [Fact]
    public void AnAcceptTakenOnAFreshSlotThatCouldNotBeWrittenIsLeftToTheRelease()
    {
        var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
        Assert.Equal(SlotBook.Acceptance.TookFreshSlot, book.Accept("c1", "chat", "q", available: true, T0));
        Assert.False(book.AcceptNotWritten("c1"));
        Assert.NotNull(book.Release("c1"));
        Assert.True(book.HasRoomFor("chat", T0));
    }

    [Fact]
    public void AConversationTheAgentDidNotKnowIsAdoptedAndOffersThatNoLongerFitAreNamed()
    {
        var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
        Assert.Null(book.Reserve(new ReserveSlot("offered", "chat", "q", T0.AddSeconds(15)), T0));

        var (adopted, overCapacity) = book.Confirmed("held-before", "chat", "q", T0);

        Assert.True(adopted);
        Assert.True(overCapacity);
        Assert.Equal(["offered"], book.WithdrawOffers());
        Assert.True(book.IsOverCapacity(T0)); // on record, "offered" is still offered to this agent
        Assert.False(book.EndOffer("offered")); // its conversation wrote the withdrawal; the desks knew already
        Assert.False(book.IsOverCapacity(T0));
    }

    [Fact]
    public void AWithdrawnOfferKeepsItsSlotUntilItsConversationSaysItIsBackInLineOrItsDeadlineAndGracePass()
    {
        var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
        var deadline = T0.AddSeconds(15);
        Assert.Null(book.Reserve(new ReserveSlot("x", "chat", "q", deadline), T0));

        Assert.Equal(["x"], book.WithdrawOffers());

        Assert.False(book.HasOffer("x"));
        Assert.Equal("no-room", book.Reserve(new ReserveSlot("y", "chat", "q", deadline), T0.AddSeconds(1)));
        Assert.Equal(SlotBook.Acceptance.Refused, book.Accept("y", "chat", "q", available: true, T0.AddSeconds(1)));
        Assert.True(book.HasRoomFor("chat", deadline + SlotBook.OfferGrace + TimeSpan.FromSeconds(1)));
        Assert.Null(book.Reserve(new ReserveSlot("x", "chat", "q", deadline.AddSeconds(15)), T0.AddSeconds(2))); // x again
        Assert.False(book.IsWithdrawn("x"));
        book.WithdrawOffers();
        book.EndOffer("x");
        Assert.Null(book.Reserve(new ReserveSlot("y", "chat", "q", deadline), T0.AddSeconds(3)));
    }

    [Fact]
    public void AnOfferReservedAgainKeepsTheLaterDeadline()
    {
        var book = new SlotBook { Capacity = new AgentCapacity(new Dictionary<string, int> { ["chat"] = 1 }, null) };
        Assert.Null(book.Reserve(new ReserveSlot("x", "chat", "q", T0.AddSeconds(15)), T0));
        Assert.Null(book.Reserve(new ReserveSlot("x", "chat", "q", T0.AddSeconds(40)), T0.AddSeconds(10)));

        Assert.False(book.HasRoomFor("chat", T0.AddSeconds(40) + SlotBook.OfferGrace));
        Assert.True(book.HasOffer("x"));
    }

    [Fact]
    public void MissedOffersInARowSetTheAgentAwayAtTheLimitAndADeclineStartsTheCountAgain()
    {
        var record = new AgentRecord(
            "a1",
            new AgentDefinition("A", new Dictionary<string, int>(), new Dictionary<string, int> { ["chat"] = 1 }, null, []),
            AgentStatus.Available,
            null,
            T0,
            T0,
            0,
            T0
        );

        var (once, away1) = MissedOffers.After(record, "timed-out", 2, T0);
        var (twice, away2) = MissedOffers.After(once!, "timed-out", 2, T0.AddMinutes(1));
        var (declined, _) = MissedOffers.After(once!, "declined", 2, T0);

        Assert.False(away1);
        Assert.Equal(1, once!.MissedOffersInRow);
        Assert.True(away2);
        Assert.Equal((AgentStatus.Away, "missed-offers", 2), (twice!.Status, twice.Reason, twice.MissedOffersInRow));
        Assert.Equal(0, declined!.MissedOffersInRow);
        Assert.Equal((null, false), MissedOffers.After(record, "accepted", 2, T0));
    }

    private static bool IsWithdrawn(SlotBook book, object item) =>
        book.IsWithdrawn(item is AgentOffer o ? o.ConversationId : ((AgentAssignment)item).ConversationId);

    private static OfferNotice Notice(string id, string channel) =>
        new(id, channel, "q", "Customer", "standard", [], T0, T0.AddSeconds(15));
}
