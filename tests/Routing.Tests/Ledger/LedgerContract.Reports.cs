using Routing.Contracts;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

/// <summary>Interval reports: the same figures from every ledger, computed from the timelines.</summary>
public abstract partial class LedgerContract
{
    /// <summary>Reports add up quarter hours: they start on one.</summary>
    private static readonly DateTimeOffset Q0 = new(2025, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private static ConversationTransition At(
        ConversationState state,
        double second,
        string? agent = null,
        string queue = "billing",
        string? reason = null
    ) => new(state, Q0.AddSeconds(second), agent, queue, reason);

    /// <summary>
    /// Writes a conversation's timeline whole, or only the transitions in <paramref name="pieces"/> the way the grains
    /// write them: a write per transition, and the rating after the completion.
    /// </summary>
    private static async Task Save(
        ILedger ledger,
        string id,
        string channel,
        int? rating,
        IReadOnlyList<ConversationTransition> timeline,
        (int From, int To)? pieces = null
    )
    {
        ConversationRecord Record(int upTo, int? rated)
        {
            var last = timeline[upTo - 1];
            return Conversation(id, last.State, createdAt: timeline[0].At) with
            {
                Channel = channel,
                AgentId = timeline.Take(upTo).LastOrDefault(t => t.AgentId is not null)?.AgentId,
                EndedAt = last.State.IsFinal() ? last.At : null,
                Rating = rated,
            };
        }
        if (pieces is not { } piece)
        {
            await ledger.SaveConversationAsync(Acme, Change(Record(timeline.Count, rating), timeline));
            return;
        }
        var (from, to) = (Math.Min(piece.From, timeline.Count), Math.Min(piece.To, timeline.Count));
        for (var i = from; i < to; i++)
        {
            await ledger.SaveConversationAsync(Acme, Change(Record(i + 1, null), [timeline[i]]));
        }
        if (from < to && to == timeline.Count && rating is not null)
        {
            await ledger.SaveConversationAsync(Acme, Change(Record(timeline.Count, rating), []));
        }
    }

    /// <summary>
    /// First quarter hour: a answered in 10 s (talk 60, wrap-up 30, rated 4); b answered in 30 s (talk 120, no
    /// wrap-up, rated 2); c abandoned after 3 s (short); d abandoned after 40 s; e answered by ann, then transferred
    /// to returns. Second quarter hour: f created at 16 min, answered at 16:05.
    /// </summary>
    private static readonly (string Id, string Channel, int? Rating, ConversationTransition[] Timeline)[] HalfHour =
    [
        (
            "a",
            "chat",
            4,
            [
                At(ConversationState.Created, 0),
                At(ConversationState.Queued, 0),
                At(ConversationState.Offered, 9, "ann"),
                At(ConversationState.Connected, 10, "ann"),
                At(ConversationState.WrapUp, 70, "ann"),
                At(ConversationState.Completed, 100, "ann"),
            ]
        ),
        (
            "b",
            "email",
            2,
            [
                At(ConversationState.Created, 0),
                At(ConversationState.Queued, 0),
                At(ConversationState.Offered, 29, "bo"),
                At(ConversationState.Connected, 30, "bo"),
                At(ConversationState.WrapUp, 150, "bo"),
                At(ConversationState.Completed, 150, "bo"),
            ]
        ),
        ("c", "chat", null, [At(ConversationState.Created, 100), At(ConversationState.Queued, 100), At(ConversationState.Abandoned, 103)]),
        ("d", "chat", null, [At(ConversationState.Created, 100), At(ConversationState.Queued, 100), At(ConversationState.Abandoned, 140)]),
        (
            "e",
            "chat",
            null,
            [
                At(ConversationState.Created, 200),
                At(ConversationState.Queued, 200),
                At(ConversationState.Offered, 204, "ann"),
                At(ConversationState.Connected, 205, "ann"),
                At(ConversationState.Queued, 300, "ann", "returns", "transferred"),
            ]
        ),
        (
            "f",
            "chat",
            null,
            [
                At(ConversationState.Created, 960),
                At(ConversationState.Queued, 960),
                At(ConversationState.Offered, 964, "bo"),
                At(ConversationState.Connected, 965, "bo"),
            ]
        ),
    ];

    [Fact]
    public async Task AnIntervalReportCountsWhatHappenedInEachIntervalByQueueAgentAndChannel()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing")); // service level: 20 s
        foreach (var (id, channel, rating, timeline) in HalfHour)
        {
            await Save(ledger, id, channel, rating, timeline);
        }
        await ledger.SaveConversationAsync(Globex, Change(Conversation("other"), [At(ConversationState.Created, 0)]));

        await AssertHalfHourAsync(ledger);
    }

    [Fact]
    public async Task TimelinesWrittenAPieceAtATimeAcrossARestartReportTheSame()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        foreach (var (id, channel, rating, timeline) in HalfHour)
        {
            await Save(ledger, id, channel, rating, timeline, (0, 4));
        }
        await CloseAsync(ledger); // what the writer remembered of each open conversation is gone: it must ask
        ledger = await OpenAsync();
        foreach (var (id, channel, rating, timeline) in HalfHour)
        {
            await Save(ledger, id, channel, rating, timeline, (4, int.MaxValue));
        }

        await AssertHalfHourAsync(ledger);
    }

    [Fact]
    public async Task ALedgerWrittenBeforeTheReportTotalsExistedFillsThemOnItsFirstStart()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        foreach (var (id, channel, rating, timeline) in HalfHour)
        {
            await Save(ledger, id, channel, rating, timeline);
        }
        await CloseAsync(ledger);
        await ExecuteSqlAsync("DELETE FROM report_quarters");
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 2");

        await AssertHalfHourAsync(await OpenAsync());
    }

    [Fact]
    public async Task AConversationWhoseWritesMoveBetweenWritersCountsItsTalkAndWrapUpOnce()
    {
        // Two ledgers on one storage: two silos' writers. The conversation's grain moves from one to the other and
        // back, passing the last transition it wrote — except the last write, which leaves the ledger to read it.
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.SaveQueueAsync(Acme, Queue("billing"));
        var (_, _, _, timeline) = HalfHour[0]; // a: talk 60 s, wrap-up 30 s
        var record = Conversation("a", ConversationState.Connected, createdAt: timeline[0].At) with { AgentId = "ann", Rating = null };

        await first.SaveConversationAsync(Acme, Change(record, timeline[..4]));
        await second.SaveConversationAsync(
            Acme,
            Change(record with { State = ConversationState.WrapUp }, [timeline[4]]) with
            {
                Previous = timeline[3],
            }
        );
        await first.SaveConversationAsync(
            Acme,
            Change(record with { State = ConversationState.Completed, EndedAt = timeline[5].At }, [timeline[5]])
        );

        foreach (var ledger in new[] { first, second })
        {
            var row = Assert.Single(
                await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddMinutes(15), TimeSpan.FromMinutes(15), ReportBy.Agent))
            );
            Assert.Equal((1, 60.0, 30.0), (row.Connected, row.AverageTalkSeconds, row.AverageWrapUpSeconds));
        }
    }

    [Fact]
    public async Task AReportOverDaysReadInPartsEqualsItsDaysOneByOne()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        for (var day = 0; day < 3; day++)
        {
            for (var n = 0; n < 5; n++)
            {
                var created = Q0.AddDays(day).AddHours(5 * n);
                var record = Conversation($"d{day}-{n}", ConversationState.Connected, createdAt: created) with { AgentId = "ann" };
                await ledger.SaveConversationAsync(
                    Acme,
                    Change(
                        record,
                        [
                            new(ConversationState.Created, created, null, "billing", null),
                            new(ConversationState.Connected, created.AddSeconds(n * 10), "ann", "billing", null),
                        ]
                    )
                );
            }
        }
        var quarter = TimeSpan.FromMinutes(15);

        var whole = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddDays(3), quarter, ReportBy.Queue));
        List<IntervalRow> byDay = [];
        for (var day = 0; day < 3; day++)
        {
            byDay.AddRange(
                await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0.AddDays(day), Q0.AddDays(day + 1), quarter, ReportBy.Queue))
            );
        }

        Assert.Equal(15, whole.Count);
        Assert.Equal(byDay, whole);
    }

    [Fact]
    public async Task TheBackfillOfAnOlderLedgerReadsEveryPageOfConversations()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        await Task.WhenAll(
            Enumerable
                .Range(0, 1_234)
                .Select(n =>
                    ledger.SaveConversationAsync(
                        n % 2 == 0 ? Acme : Globex,
                        Change(
                            Conversation($"c{n:D4}", ConversationState.Queued, createdAt: Q0.AddSeconds(n)),
                            [new(ConversationState.Created, Q0.AddSeconds(n), null, "billing", null)]
                        )
                    )
                )
        );
        await CloseAsync(ledger);
        await ExecuteSqlAsync("DELETE FROM report_quarters");
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 2");

        ledger = await OpenAsync();
        var day = new IntervalQuery(Q0, Q0.AddDays(1), TimeSpan.FromDays(1), ReportBy.Queue);

        Assert.Equal(617, Assert.Single(await ledger.ReportIntervalsAsync(Acme, day)).Offered);
        Assert.Equal(617, Assert.Single(await ledger.ReportIntervalsAsync(Globex, day)).Offered);
    }

    [Fact]
    public async Task AnAnswerIsJudgedAgainstTheServiceLevelTargetInForceWhenItHappened()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing")); // 20 s
        await Save(ledger, "early", "chat", null, [At(ConversationState.Created, 0), At(ConversationState.Connected, 15, "ann")]);
        await ledger.SaveQueueAsync(
            Acme,
            Queue("billing") with
            {
                Definition = Queue("billing").Definition with { ServiceLevel = new ServiceLevelGoal(10, 80) },
            }
        );
        await Save(ledger, "late", "chat", null, [At(ConversationState.Created, 100), At(ConversationState.Connected, 115, "ann")]);

        var row = Assert.Single(
            await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddMinutes(15), TimeSpan.FromMinutes(15), ReportBy.Queue))
        );

        Assert.Equal((2, 50.0), (row.Connected, row.ServiceLevelPercent));
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(0, 10)]
    public async Task AReportNotOnQuarterHoursIsRefused(int offsetMinutes, int intervalMinutes)
    {
        var ledger = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ledger.ReportIntervalsAsync(
                Acme,
                new IntervalQuery(Q0.AddMinutes(offsetMinutes), Q0.AddHours(1), TimeSpan.FromMinutes(intervalMinutes), ReportBy.Queue)
            )
        );
    }

    private static async Task AssertHalfHourAsync(ILedger ledger)
    {
        var quarter = TimeSpan.FromMinutes(15);
        var byQueue = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddMinutes(30), quarter, ReportBy.Queue));
        var byAgent = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddMinutes(30), quarter, ReportBy.Agent));
        var byChannel = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(Q0, Q0.AddMinutes(15), quarter, ReportBy.Channel));

        Assert.Equal([(Q0, "billing"), (Q0, "returns"), (Q0.Add(quarter), "billing")], byQueue.Select(r => (r.Start, r.Key)));
        var first = byQueue[0];
        Assert.Equal((5, 3, 2, 1), (first.Offered, first.Connected, first.Abandoned, first.ShortAbandoned));
        Assert.Equal(15, first.AverageSpeedOfAnswerSeconds!.Value, 6); // (10 + 30 + 5) / 3
        Assert.Equal(90, first.AverageTalkSeconds!.Value, 6); // (60 + 120) / 2
        Assert.Equal(15, first.AverageWrapUpSeconds!.Value, 6); // (30 + 0) / 2
        Assert.Equal(50, first.ServiceLevelPercent!.Value, 6); // a and e within 20 s, of 3 answered + 1 long abandon
        Assert.Equal((3.0, 2), (first.CsatAverage, first.CsatCount));
        Assert.Equal((0, 1), (byQueue[1].Offered, byQueue[1].Transfers)); // the transfer counts in the queue it went to
        Assert.Equal((1, 1, 100.0), (byQueue[2].Offered, byQueue[2].Connected, byQueue[2].ServiceLevelPercent));
        Assert.Equal(Q0.AddMinutes(30), byQueue[2].End);

        Assert.Equal([(Q0, "ann"), (Q0, "bo"), (Q0.Add(quarter), "bo")], byAgent.Select(r => (r.Start, r.Key)));
        Assert.Equal((2, 1, 4.0), (byAgent[0].Connected, byAgent[0].Transfers, byAgent[0].CsatAverage));
        Assert.Equal([("chat", 4, 2), ("email", 1, 1)], byChannel.Select(r => (r.Key, r.Offered, r.Connected)));
    }

    [Fact]
    public async Task DispositionsAreCountedByQueueForTheCompletionsOfThePeriodsConversations()
    {
        var ledger = await OpenAsync();
        (string Id, ConversationState State, string Queue, string? Disposition, int Minute)[] conversations =
        [
            ("a", ConversationState.Completed, "billing", "refund-issued", 0),
            ("b", ConversationState.WrapUp, "billing", "refund-issued", 5),
            ("c", ConversationState.Completed, "billing", null, 10),
            ("d", ConversationState.Completed, "sales", "sold", 20),
            ("e", ConversationState.Resolved, "billing", "kb-refund", 25), // resolved by self-service: no agent's disposition
            ("f", ConversationState.Connected, "billing", null, 30),
            ("g", ConversationState.Completed, "billing", "refund-issued", 60), // created after the period
        ];
        foreach (var (id, state, queue, disposition, minute) in conversations)
        {
            var conversation = Conversation(id, state, Q0.AddMinutes(minute), queueId: queue) with { Disposition = disposition };
            await ledger.SaveConversationAsync(Acme, Change(conversation, [Transition(state, 0)], []));
        }
        await ledger.SaveConversationAsync(
            Globex,
            Change(Conversation("x", ConversationState.Completed, Q0) with { Disposition = "refund-issued" })
        );

        var counts = await ledger.CountDispositionsAsync(Acme, Q0, Q0.AddHours(1), limit: 100);

        Assert.Equal(
            [("billing", "refund-issued", 2), ("billing", null, 1), ("sales", "sold", 1)],
            counts.Select(c => (c.QueueId, c.Disposition, c.Conversations))
        );
        Assert.Single(await ledger.CountDispositionsAsync(Acme, Q0, Q0.AddHours(1), limit: 1));
    }
}
