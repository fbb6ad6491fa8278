namespace Routing.Contracts;

/// <summary>
/// One silo's front door for new conversations (docs/performance.md, "Overload"): at most
/// <see cref="AdmissionOptions.MaxCreatesInFlight"/> creates in progress through this silo at once. Past it a
/// create is refused at once — 503 <c>overloaded</c> with <c>Retry-After</c> — instead of joining a backlog of
/// grain calls that grows until calls time out. A refusal costs one interlocked add: no grain is woken, nothing
/// is thrown, so a node offered ten times its capacity spends its time on the conversations it took.
/// </summary>
public sealed class AdmissionGate
{
    private readonly int _maxInFlight;
    private int _inFlight;
    private long _admitted;
    private long _refused;

    public AdmissionGate(AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCreatesInFlight, 1, nameof(options));
        _maxInFlight = options.MaxCreatesInFlight;
        RetryAfter = TimeSpan.FromSeconds(Math.Max(1, options.RetryAfterSeconds));
    }

    /// <summary>What a refused caller is told to wait.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Creates in progress now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Creates let in since the silo started.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Creates refused at the door since the silo started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes a place for one create, or refuses (<see cref="Admission.Admitted"/> false). Dispose the answer when the create is
    /// done.</summary>
    public Admission TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _refused);
            return default;
        }
        Interlocked.Increment(ref _admitted);
        return new Admission(this);
    }

    private void Leave() => Interlocked.Decrement(ref _inFlight);

    /// <summary>A place at the door, held until disposed; <c>default</c> is a refusal and holds nothing.</summary>
    public readonly struct Admission : IDisposable
    {
        private readonly AdmissionGate? _gate;

        internal Admission(AdmissionGate gate) => _gate = gate;

        public bool Admitted => _gate is not null;

        public void Dispose() => _gate?.Leave();
    }
}

/// <summary>The <c>Routing:Admission</c> settings: how much new work one silo takes on at once.</summary>
public sealed class AdmissionOptions
{
    /// <summary>
    /// The most conversation creates (REST creates and chat starts) in progress through one silo at once; one more
    /// is refused with 503 <c>overloaded</c> and <c>Retry-After</c>. Default 512: at a create's usual few
    /// milliseconds that is far above any rate a node can route, so only a backlog ever reaches it.
    /// </summary>
    public int MaxCreatesInFlight { get; set; } = 512;

    /// <summary>What a refused caller is told to wait, in seconds. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
