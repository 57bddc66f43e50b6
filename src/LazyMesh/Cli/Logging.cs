using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LazyMesh.Cli;

/// <summary>Console logging for the long-running commands: one line per event, text or JSON.</summary>
public static class Logging
{
    public static ILoggerFactory Create(string format, LogLevel level) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        builder.AddFilter("Grpc", LogLevel.Warning);
        builder.AddFilter("Yarp", LogLevel.Warning);

        // Kestrel's Http2DisabledWithHttp1AndNoTls warning is wrong for the fallback's port: h2c is detected there.
        builder.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        if (format == "json")
        {
            builder.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }
    });
}
