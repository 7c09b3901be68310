using System.Runtime.InteropServices;

namespace Studio.Sandbox.Hosting;

/// <summary>
/// Cancels a token on SIGINT (Ctrl+C, <c>kill -INT</c>) or SIGTERM (a supervisor's stop). A process started with SIGINT
/// ignored — a background job of a non-interactive shell, a CI runner, <c>nohup</c> — inherits that disposition, and .NET
/// then never raises the signal, so the sandbox would run on after <c>kill -INT</c>. Like Go's <c>signal.Notify</c>,
/// asking for the signal takes it back from the inherited ignore.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private const int SigInt = 2;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private StopSignals(CancellationTokenSource stop)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetDisposition(SigInt, 0); // SIG_DFL, before .NET installs its own handler
        }

        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Stop(ctx, stop));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Stop(ctx, stop));
    }

    public static StopSignals Register(CancellationTokenSource stop) => new(stop);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    [DllImport("libc", EntryPoint = "signal")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SetDisposition(int signal, nint handler);
}
