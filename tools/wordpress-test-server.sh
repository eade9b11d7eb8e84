#!/bin/sh
# A real WordPress on 127.0.0.1 for Eyelights' publishing tests (Debian's own packages).
#
#   tools/wordpress-test-server.sh install           install the Debian packages (as root), else
#                                                    print the apt-get line and exit 3
#   tools/wordpress-test-server.sh start DIR PORT    a fresh site in DIR served on 127.0.0.1:PORT;
#                                                    writes DIR/site.json (url, user, application
#                                                    password) and prints it
#   tools/wordpress-test-server.sh stop DIR          stop the web server (and its workers) and
#                                                    the database; remove the database's files
# With EYELIGHTS_WP_OWNER=PID, start also leaves a watcher that stops the site once process PID
# has ended, so a test session killed before its teardown leaves no mariadbd nor php behind.
#   tools/wordpress-test-server.sh export DIR OUT    the site's own WXR export (export_wp())
#   tools/wordpress-test-server.sh php DIR FILE      run a PHP file with WordPress loaded
#
# The site: a private copy of /usr/share/wordpress (Debian's wp-config.php reads
# /etc/wordpress/config-<host>.php, which php-cli and tests must not depend on), its own
# wp-config.php, a private MariaDB (own datadir and socket, no network), installed with
# WordPress's own wp_install(), an application password made by WP_Application_Passwords, and a
# must-use plugin that lets readers comment through the REST API from 127.0.0.1 (anonymous
# comments allowed, no flood check, no mail). Nothing is fetched from the internet.
set -eu

PACKAGES="wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql"
THEME=twentytwentythree  # WordPress 6.1's default theme: the front end readers see (none: empty)
WP_SRC=/usr/share/wordpress
MARIADBD=/usr/sbin/mariadbd

die() { echo "wordpress-test-server: $*" >&2; exit 1; }

have_packages() {
  [ -f "$WP_SRC/wp-settings.php" ] && [ -d "$WP_SRC/wp-content/themes/$THEME" ] \
    && [ -x "$MARIADBD" ] && command -v php >/dev/null 2>&1 \
    && command -v mariadb-install-db >/dev/null 2>&1 && php -m 2>/dev/null | grep -qi '^mysqli$'
}

cmd_install() {
  have_packages && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "The WordPress tests need Debian's packages. Run:"
    echo "  sudo apt-get install -y --no-install-recommends $PACKAGES"
    exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
  have_packages || die "the packages installed, but WordPress, MariaDB or PHP is still missing"
}

state() { # the value of KEY in DIR/state
  sed -n "s/^$2=//p" "$1/state" 2>/dev/null | tail -n 1
}

wait_for() { # wait_for SECONDS COMMAND...: retry every 0.1 s
  limit=$(( $1 * 10 )); shift
  n=0
  while ! "$@" >/dev/null 2>&1; do
    n=$((n + 1))
    [ "$n" -ge "$limit" ] && return 1
    sleep 0.1
  done
}

start_database() { # DIR RUN
  dir=$1; run=$2
  user_opt=""
  if [ "$(id -u)" = 0 ]; then
    user_opt="--user=mysql"  # mariadbd refuses to run as root
    chown mysql "$run"
  fi
  mariadb-install-db --no-defaults $user_opt --datadir="$run/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/mariadb-install.log" 2>&1 \
    || die "mariadb-install-db failed (see $dir/mariadb-install.log)"
  setsid "$MARIADBD" --no-defaults $user_opt --datadir="$run/data" --socket="$run/sock" \
    --pid-file="$run/mariadbd.pid" --skip-networking --skip-log-bin --innodb-buffer-pool-size=32M \
    --log-error="$dir/mariadb.log" >/dev/null 2>&1 &
  echo "db_pid=$!" >>"$dir/state"
  wait_for 30 mariadb --no-defaults -S "$run/sock" -u root -e "SELECT 1" \
    || die "MariaDB did not start (see $dir/mariadb.log)"
  mariadb --no-defaults -S "$run/sock" -u root -e "CREATE DATABASE wp CHARACTER SET utf8mb4;
    CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';"
}

write_config() { # DIR RUN PORT
  cat >"$1/site/wp-config.php" <<EOF
<?php
define('DB_NAME', 'wp');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:$2/sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
define('WP_HOME', 'http://127.0.0.1:$3');
define('WP_SITEURL', 'http://127.0.0.1:$3');
// Application passwords work over plain http only on a "local" site.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);   // PHP 8.2 notices would otherwise land inside the JSON
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);  // never call wordpress.org from a test
define('FS_METHOD', 'direct');
foreach (array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT',
               'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT') as \$k) {
  define(\$k, 'eyelights-test-' . \$k);
}
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
EOF
  mkdir -p "$1/site/wp-content/mu-plugins" "$1/site/wp-content/uploads"
  cat >"$1/site/wp-content/mu-plugins/eyelights-test.php" <<'EOF'
<?php
// Test site only: readers comment through the REST API from 127.0.0.1.
add_filter('rest_allow_anonymous_comments', '__return_true');
add_filter('wp_is_comment_flood', '__return_false', 99);
add_filter('pre_wp_mail', '__return_false');  // no sendmail here

// Faults a broken plugin causes, asked for by a marker in a post's title or a term's name:
// [fault:crash-after-publish] a fatal error in a hook once the post is saved as published,
// [fault:crash-after-save] the same once it is saved at all, [fault:notice] a PHP notice
// printed before the JSON answer.
function eyelights_test_fault($text) {
  return preg_match('/\[fault:([a-z-]+)\]/', (string) $text, $m) ? $m[1] : '';
}
add_action('wp_after_insert_post', function ($post_id, $post) {
  $fault = eyelights_test_fault($post->post_title);
  if ($fault === 'crash-after-save'
      || ($fault === 'crash-after-publish' && $post->post_status === 'publish')) {
    throw new Error('a broken plugin');
  }
}, 10, 2);
add_filter('rest_pre_echo_response', function ($result, $server, $request) {
  $asked = $request['title'] ?? ($request['name'] ?? '');
  if (eyelights_test_fault(is_array($asked) ? implode(' ', $asked) : $asked) === 'notice') {
    echo "<br />\n<b>Notice</b>:  Undefined index: x in /plugins/noisy.php on line 3<br />\n";
  }
  return $result;
}, 10, 3);
EOF
  # php -S has no rewrite rules: send every path that is not a file to index.php.
  cat >"$1/router.php" <<'EOF'
<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = $_SERVER['DOCUMENT_ROOT'] . $path;
if ($path !== '/' && is_file($file)) {
  if (substr($file, -4) !== '.php') return false;
  $_SERVER['SCRIPT_NAME'] = $path;
  $_SERVER['SCRIPT_FILENAME'] = $file;
  chdir(dirname($file));
  require $file;
  return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
EOF
}

install_site() { # DIR PORT
  cat >"$1/install.php" <<'EOF'
<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/site/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$done = wp_install('Eyelights test blog', 'editor', 'editor@example.org', true, '',
                   wp_slash('not-the-application-password'));
$user = (int) $done['user_id'];
update_option('permalink_structure', '/%year%/%monthnum%/%postname%/');
update_option('comment_moderation', 0);
update_option('comment_previously_approved', 0);
update_option('require_name_email', 1);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('timezone_string', 'Europe/London');
flush_rewrite_rules(true);
wp_delete_post(1, true);  // "Hello world!" and its comment
wp_delete_post(2, true);  // the sample page
list($password, $item) = WP_Application_Passwords::create_new_application_password(
  $user, array('name' => 'Eyelights tests'));
echo json_encode(array('url' => get_option('home'), 'user' => 'editor', 'user_id' => $user,
                       'password' => $password));
EOF
  php "$1/install.php" "$1" 2>"$1/install.log" >"$1/site.json.tmp" \
    || die "WordPress's install failed (see $1/install.log)"
  mv "$1/site.json.tmp" "$1/site.json"
}

start_web() { # DIR PORT
  PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$2" -t "$1/site" "$1/router.php" \
    >"$1/php-server.log" 2>&1 &
  echo "web_pid=$!" >>"$1/state"
  wait_for 20 php -r "exit(@file_get_contents('http://127.0.0.1:$2/?rest_route=/') === false ? 1 : 0);" \
    || die "php -S did not answer on 127.0.0.1:$2 (see $1/php-server.log)"
}

cmd_start() {
  [ $# -eq 2 ] || die "usage: $0 start DIR PORT"
  dir=$1; port=$2
  have_packages || cmd_install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/state" ] && die "$dir already holds a site: stop it first"
  # A short path the database user can reach (pytest's folders are private to root).
  run=$(mktemp -d /tmp/eyelights-wp.XXXXXX)
  chmod 755 "$run"
  echo "run=$run" >"$dir/state"
  echo "port=$port" >>"$dir/state"
  trap 'cmd_stop "$dir" >/dev/null 2>&1 || true' EXIT INT TERM
  cp -rL "$WP_SRC" "$dir/site"
  start_database "$dir" "$run"
  write_config "$dir" "$run" "$port"
  install_site "$dir" "$port"
  start_web "$dir" "$port"
  trap - EXIT INT TERM
  if [ -n "${EYELIGHTS_WP_OWNER:-}" ]; then  # stop the site when its owner is gone, however
    setsid sh "$0" watch "$dir" "$EYELIGHTS_WP_OWNER" </dev/null >/dev/null 2>&1 &
  fi
  cat "$dir/site.json"
  echo
}

kill_group() { # PID: the process group it leads (php -S workers outlive a signal to the master)
  [ -n "$1" ] || return 0
  # a scratch server: nothing to save, so no polite TERM (its workers took ~2.5 s to go)
  kill -KILL "-$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null || return 0
  n=0
  while kill -0 "-$1" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: $0 stop DIR"
  dir=$1
  [ -f "$dir/state" ] || return 0
  kill_group "$(state "$dir" web_pid)"
  db=$(state "$dir" db_pid)  # a scratch database: no need to wait for a clean shutdown
  [ -n "$db" ] && kill -KILL "-$db" 2>/dev/null || true
  run=$(state "$dir" run)
  case "$run" in /tmp/eyelights-wp.*) rm -rf "$run" ;; esac
  rm -f "$dir/state"
}

cmd_watch() { # DIR PID: stop the site in DIR once process PID has ended (killed, crashed)
  [ $# -eq 2 ] || die "usage: $0 watch DIR PID"
  while kill -0 "$2" 2>/dev/null && [ -f "$1/state" ]; do sleep 0.5; done
  cmd_stop "$1"
}

cmd_php() {
  [ $# -eq 2 ] || die "usage: $0 php DIR FILE"
  php -d display_errors=stderr "$2" "$(cd "$1" && pwd)/site/wp-load.php"
}

cmd_export() {
  [ $# -eq 2 ] || die "usage: $0 export DIR OUT"
  cat >"$1/export.php" <<'EOF'
<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1];
require_once ABSPATH . 'wp-admin/includes/export.php';
wp_set_current_user(1);
ob_start();
export_wp(array('content' => 'all'));
$xml = ob_get_clean();
file_put_contents($argv[2], $xml);
EOF
  php "$1/export.php" "$(cd "$1" && pwd)/site/wp-load.php" "$2" 2>"$1/export.log" \
    || die "export_wp() failed (see $1/export.log)"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  watch) shift; cmd_watch "$@" ;;
  export) shift; cmd_export "$@" ;;
  php) shift; cmd_php "$@" ;;
  *) echo "usage: $0 install | start DIR PORT | stop DIR | export DIR OUT | php DIR FILE" >&2; exit 2 ;;
esac
