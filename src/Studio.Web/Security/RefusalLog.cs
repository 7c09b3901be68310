using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Studio.Web.Security;

/// <summary>
/// Expected refusals — a hub subscription to a scope the caller may not see, a cross-origin form post — logged at
/// information level, without a stack trace, and at most <see cref="RefusalLogOptions.PerMinute"/> lines a minute on
/// this replica: anyone can provoke them, so nobody can flood the log with them. Refusals over the budget are counted
/// (<c>studio.refusals</c>, every refusal) and the next logged line says how many were left out.
/// </summary>
public sealed class RefusalLog : IDisposable
{
    public const string MeterName = "Studio.Web";
    public const string Refusals = "studio.refusals";

    private readonly FixedWindowRateLimiter _budget;
    private readonly Counter<long> _refusals;
    private long _leftOut;

    public RefusalLog(IOptions<RefusalLogOptions> options, IMeterFactory meters)
    {
        _budget = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.PerMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        _refusals = meters.Create(MeterName).CreateCounter<long>(Refusals, "{refusal}", "Requests refused as expected (hub scopes not visible, cross-origin writes), logged or not.");
    }

    /// <summary>Counts a refusal of <paramref name="what"/> and logs it, unless this minute's budget is spent.</summary>
    public void Refused(ILogger logger, string what, string reason, string? user)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>("what", what));
        using var lease = _budget.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _leftOut);
            return;
        }

        var leftOut = Interlocked.Exchange(ref _leftOut, 0);
        if (leftOut == 0)
        {
            logger.LogInformation("Refused {What} for {User}: {Reason}", what, user ?? "anonymous", reason);
        }
        else
        {
            logger.LogInformation("Refused {What} for {User}: {Reason} ({LeftOut} refusals before it not logged: over the budget)", what, user ?? "anonymous", reason, leftOut);
        }
    }

    public void Dispose() => _budget.Dispose();
}

/// <summary>How many refusal lines a replica logs a minute (<c>Studio:Logging:Refusals</c>).</summary>
public sealed class RefusalLogOptions
{
    public const string SectionName = "Studio:Logging:Refusals";

    /// <summary>Refusal lines logged per minute at most; the rest are counted only.</summary>
    public int PerMinute { get; set; } = 20;
}
