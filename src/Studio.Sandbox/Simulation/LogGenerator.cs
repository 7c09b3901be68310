using System.Globalization;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// Deterministic, plausible container logs: a training loop (epochs, steps, loss per rank), a model server (startup,
/// then request lines), echo output, or a generic start/exit pair. The same pod name and rank always print the same numbers.
/// </summary>
internal sealed class LogGenerator
{
    private const double TrainingInterval = 2;
    private const double ServerInterval = 3;
    private readonly Simulator _sim;

    public LogGenerator(Simulator sim) => _sim = sim;

    private void Write(PodRun run, ContainerRun c, string line) => _sim.Logs.Append(run.Namespace, run.Name, c.Name, line);

    public void Started(PodRun run, ContainerRun c, Func<bool> stillRunning)
    {
        var ci = CultureInfo.InvariantCulture;
        switch (c.Rule.Kind)
        {
            case WorkloadKind.Training:
                Write(run, c, $"[rank{run.Rank}] Initializing process group: backend=nccl world_size={run.WorldSize} rank={run.Rank}");
                Write(run, c, $"[rank{run.Rank}] Loading dataset shard {run.Rank}/{run.WorldSize}: 1281167 samples");
                Write(run, c, $"[rank{run.Rank}] Model: 124.4M parameters, mixed precision bf16, global batch size {256 * run.WorldSize}");
                ScheduleTraining(run, c, stillRunning, 1);
                break;
            case WorkloadKind.ModelServer:
                Write(run, c, "INFO:     Started server process [1]");
                Write(run, c, "INFO:     Waiting for application startup.");
                Write(run, c, "INFO:     Loading model weights from /models/model.safetensors (4 shards)");
                Write(run, c, "INFO:     Application startup complete.");
                Write(run, c, "INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)");
                ScheduleServer(run, c, stillRunning, 1);
                break;
            case WorkloadKind.Echo:
                Write(run, c, c.Rule.EchoText ?? "");
                break;
            default:
                Write(run, c, string.Create(ci, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} INFO starting {c.Name} (image {c.Image}, attempt {c.Attempt})"));
                break;
        }
    }

    private void ScheduleTraining(PodRun run, ContainerRun c, Func<bool> stillRunning, int tick)
    {
        _sim.After(TrainingInterval, () =>
        {
            if (!stillRunning())
            {
                return;
            }

            var total = c.Rule.RunSeconds is { } r ? Math.Max(1, (int)(r / TrainingInterval)) : 1000;
            var epochs = 10;
            var epoch = Math.Min(epochs, 1 + ((tick - 1) * epochs / total));
            var step = tick * 50;
            Write(run, c, string.Create(CultureInfo.InvariantCulture,
                $"[rank{run.Rank}] epoch {epoch}/{epochs} step {step} loss {Loss(run, tick):0.0000} lr {3e-4 * Math.Max(0.1, 1 - ((double)tick / total)):0.00e+00} throughput {780 + (Names.Unit(run.Name + tick) * 60):0.0} samples/s"));
            ScheduleTraining(run, c, stillRunning, tick + 1);
        });
    }

    private static double Loss(PodRun run, int tick) =>
        (2.2 * Math.Exp(-0.08 * tick)) + 0.35 + (0.03 * Names.Unit(run.Name + "/" + run.Rank + "/" + tick));

    private void ScheduleServer(PodRun run, ContainerRun c, Func<bool> stillRunning, int tick)
    {
        _sim.After(ServerInterval, () =>
        {
            if (!stillRunning())
            {
                return;
            }

            var latency = 18 + (int)(Names.Unit(run.Name + tick) * 40);
            Write(run, c, string.Create(CultureInfo.InvariantCulture,
                $"INFO:     10.244.0.{1 + (tick % 250)}:{40000 + (tick % 20000)} - \"POST /v1/models/model:predict HTTP/1.1\" 200 OK latency_ms={latency}"));
            ScheduleServer(run, c, stillRunning, tick + 1);
        });
    }

    /// <summary>Records a request the service proxy answered for this pod.</summary>
    public static void Request(Simulator sim, string ns, string pod, string container, string path, int latencyMs) =>
        sim.Logs.Append(ns, pod, container, string.Create(CultureInfo.InvariantCulture, $"INFO:     10.244.0.1:50000 - \"POST {path} HTTP/1.1\" 200 OK latency_ms={latencyMs}"));

    public void Finished(PodRun run, ContainerRun c)
    {
        switch (c.Rule.Kind)
        {
            case WorkloadKind.Training when c.ExitCode == 0:
                Write(run, c, string.Create(CultureInfo.InvariantCulture, $"[rank{run.Rank}] Training complete: final loss {Loss(run, 1000):0.0000}; checkpoint saved to /checkpoints/final-rank{run.Rank}.pt"));
                break;
            case WorkloadKind.Echo when c.ExitCode == 0:
                break;
            default:
                if (c.Reason == "OOMKilled")
                {
                    Write(run, c, "Killed");
                }
                else if (c.ExitCode != 0)
                {
                    Write(run, c, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} ERROR {c.Name} exited with code {c.ExitCode}"));
                }
                else if (c.Rule.Kind == WorkloadKind.Generic)
                {
                    Write(run, c, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} INFO {c.Name} finished"));
                }

                break;
        }
    }
}
