using System.Globalization;

namespace Studio.Sandbox;

/// <summary>Parses the sandbox's command line and runs it standalone until Ctrl+C.</summary>
public static class SandboxCommandLine
{
    private const string Usage =
        "usage: Studio.Sandbox [--port PORT] [--kubeconfig FILE] [--topology FILE|preset:NAME] [--speed X] [--faults JSON] [--scoring LeastAllocated|MostAllocated] [--no-simulation] [--gateway-api]\n" +
        "  --port PORT        loopback port to listen on (0 or omitted = a free port)\n" +
        "  --kubeconfig FILE  write a kubeconfig for the sandbox to FILE\n" +
        "  --topology FILE    node pools (YAML or JSON); default: a small built-in topology\n" +
        "  --speed X          simulated-time speed factor (> 0, default 1)\n" +
        "  --faults JSON      fault modes at start, e.g. '{\"errorRate\":0.05,\"watchCloseSeconds\":30}' (see README)\n" +
        "  --scoring S        scheduler scoring: LeastAllocated (default, spread) or MostAllocated (bin packing)\n" +
        "  --no-simulation    API server only: no scheduler, controllers or kubelets\n" +
        "  --gateway-api      serve the Gateway API (GatewayClass, Gateway, HTTPRoute CRDs installed at start)";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SandboxOptions();
        string? kubeconfig = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (arg == "--no-simulation")
            {
                options.Simulate = false;
                continue;
            }

            if (arg == "--gateway-api")
            {
                options.GatewayApi = true;
                continue;
            }

            if (arg is not ("--port" or "--kubeconfig" or "--topology" or "--speed" or "--faults" or "--scoring"))
            {
                return Fail($"unknown argument '{arg}'");
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"{arg} needs a value");
            }

            var value = args[++i];
            switch (arg)
            {
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        return Fail($"--port must be a number between 0 and 65535, got '{value}'");
                    }

                    options.Port = port;
                    break;
                case "--kubeconfig":
                    kubeconfig = Path.GetFullPath(value);
                    break;
                case "--faults":
                    try
                    {
                        options.Faults = Simulation.TopologyFaults.Parse(value);
                    }
                    catch (System.Text.Json.JsonException e)
                    {
                        return Fail($"--faults must be a JSON object: {e.Message}");
                    }

                    break;
                case "--scoring":
                    if (value is not ("LeastAllocated" or "MostAllocated"))
                    {
                        return Fail($"--scoring must be LeastAllocated or MostAllocated, got '{value}'");
                    }

                    options.Scoring = value;
                    break;
                case "--topology" when value.StartsWith("preset:", StringComparison.Ordinal):
                    if (Topology.ClusterTopology.Preset(value["preset:".Length..]) is null)
                    {
                        return Fail($"--topology {value}: unknown preset (known: default, scale-1000, scale-5000)");
                    }

                    options.TopologyPath = value;
                    break;
                case "--topology":
                    if (!File.Exists(value))
                    {
                        return Fail($"--topology file '{value}' does not exist");
                    }

                    options.TopologyPath = Path.GetFullPath(value);
                    break;
                default:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || speed <= 0 || double.IsInfinity(speed))
                    {
                        return Fail($"--speed must be a positive number, got '{value}'");
                    }

                    options.Speed = speed;
                    break;
            }
        }

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Fail("invalid topology: " + e.Message);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: could not listen on 127.0.0.1:{options.Port}: {e.Message}");
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            if (kubeconfig is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);
                await File.WriteAllTextAsync(kubeconfig, server.CreateKubeconfigYaml()).ConfigureAwait(false);
            }

            using var stop = new CancellationTokenSource();
            using var signals = Hosting.StopSignals.Register(stop);
            var where = BaseAddressText(server);
            Console.WriteLine($"Sandbox cluster ready at {where} (kubeconfig: {kubeconfig ?? "not written"})");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C / SIGTERM: stop cleanly.
            }
        }

        return 0;
    }

    private static string BaseAddressText(SandboxServer server) => server.BaseAddress.ToString().TrimEnd('/');

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
