# The studio as a small, non-root container: build with the .NET SDK, run on the chiseled ASP.NET Core runtime (no shell,
# no package manager; the -extra variant carries ICU and time zones, which the studio uses).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so that a code change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Studio.Domain/Studio.Domain.csproj src/Studio.Domain/
COPY src/Studio.Infrastructure/Studio.Infrastructure.csproj src/Studio.Infrastructure/
COPY src/Studio.Sandbox/Studio.Sandbox.csproj src/Studio.Sandbox/
COPY src/Studio.Web/Studio.Web.csproj src/Studio.Web/
RUN dotnet restore src/Studio.Web/Studio.Web.csproj
COPY src/ src/
COPY wwwroot-assets/ wwwroot-assets/
RUN dotnet publish src/Studio.Web/Studio.Web.csproj -c Release --no-restore -o /app /p:UseAppHost=false \
    && mkdir -p /data

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build /app .
# The data folder (SQLite and its key ring when no PostgreSQL is configured), owned by the image's non-root user.
COPY --from=build --chown=$APP_UID:$APP_UID /data /data
ENV ASPNETCORE_URLS=http://+:8080 \
    Studio__DataFolder=/data
VOLUME /data
EXPOSE 8080
USER $APP_UID
# No shell or curl in the image: the studio probes itself.
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s CMD ["dotnet", "Studio.Web.dll", "--probe", "http://127.0.0.1:8080/healthz/ready"]
ENTRYPOINT ["dotnet", "Studio.Web.dll"]
