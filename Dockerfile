# A slim, non-root image for web, workers and beat alike; the command picks the role.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ohmanager.settings.production \
    OHMANAGER_VAR_DIR=/app/var
# The profile card's PDF (ohmanager.pdf): the libraries WeasyPrint loads (Debian's list for its
# wheels) and a Korean font. fonts-nanum rather than fonts-noto-cjk: Hangul in 33 MB against
# 91 MB installed, and the font CI renders and tests with (.ci/run).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app . /app
# Static files are collected at build time; a throwaway key satisfies production's checks here.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-$(python -c "import secrets;print(secrets.token_hex(32))") \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R app:app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "ohmanager.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "30", "--access-logfile", "-"]
