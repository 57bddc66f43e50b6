using System.Text;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Tokenises an Envoy TEXT format string (MeshConfig <c>accessLogFormat</c>, a Telemetry provider's
/// <c>envoyFileAccessLog.logFormat.text</c>, a JSON label's value) into literals and command operators, as Envoy's
/// substitution formatter parser does: <c>%NAME%</c>, <c>%NAME(arg)%</c>, <c>%NAME(arg):len%</c>, where the argument
/// may itself contain <c>%</c> (<c>%START_TIME(%s.%3f)%</c>) and <c>%%</c> is a literal percent sign. A <c>%</c> that
/// starts no valid operator is an error, as in Envoy.
/// </summary>
public static class EnvoyFormatString
{
    /// <summary>The segments of <paramref name="format"/>, adjacent literals merged.</summary>
    /// <exception cref="FormatException">A <c>%</c> that starts no valid operator, with its column.</exception>
    public static IReadOnlyList<EnvoyFormatSegment> Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var segments = new List<EnvoyFormatSegment>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            int start = i;
            int nameStart = ++i;
            while (i < format.Length && (char.IsAsciiLetterUpper(format[i]) || char.IsAsciiDigit(format[i]) || format[i] == '_'))
            {
                i++;
            }

            if (i == nameStart)
            {
                throw Error(format, start, "expected a command operator name (A-Z, 0-9, _) after '%'");
            }

            string name = format[nameStart..i];
            string? argument = null;
            if (i < format.Length && format[i] == '(')
            {
                int close = format.IndexOf(')', i + 1);
                if (close < 0)
                {
                    throw Error(format, start, $"%{name}(: missing ')'");
                }

                argument = format[(i + 1)..close];
                i = close + 1;
            }

            int? maxLength = null;
            if (i < format.Length && format[i] == ':')
            {
                int digitsStart = ++i;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    i++;
                }

                if (i == digitsStart || !int.TryParse(format.AsSpan(digitsStart, i - digitsStart), out int length))
                {
                    throw Error(format, start, $"%{name}: expected a length after ':'");
                }

                maxLength = length;
            }

            if (i >= format.Length || format[i] != '%')
            {
                throw Error(format, start, $"%{name}: missing closing '%'");
            }

            i++;
            if (literal.Length > 0)
            {
                segments.Add(new EnvoyFormatSegment(literal.ToString(), null));
                literal.Clear();
            }

            segments.Add(new EnvoyFormatSegment(null, new EnvoyCommandOperator(name, argument, maxLength)));
        }

        if (literal.Length > 0)
        {
            segments.Add(new EnvoyFormatSegment(literal.ToString(), null));
        }

        return segments;
    }

    private static FormatException Error(string format, int column, string message) =>
        new($"Envoy format string, column {column + 1}: {message} (in \"{Shorten(format)}\")");

    private static string Shorten(string format) => format.Length <= 80 ? format : format[..77] + "...";
}
